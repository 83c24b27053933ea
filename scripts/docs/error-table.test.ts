import fs from 'node:fs'
import path from 'node:path'
import { gatewayCatalogue, platformCatalogue, type Catalogue } from '@starling/shared/errors'
import { describe, expect, it } from 'vitest'
import { errorTable, readmePath, serviceCatalogues, withTable } from './error-table.ts'

describe('the error catalogues', () => {
  it('are what the README\'s error table shows (node scripts/docs/error-table.ts writes it)', async () => {
    const readme = fs.readFileSync(readmePath, 'utf8')
    expect(withTable(readme, await errorTable())).toBe(readme)
  })

  it('list each code once, with a status and a title', async () => {
    const seen = new Map<string, string>()
    const catalogues = await serviceCatalogues()
    expect(Object.keys(catalogues)).toEqual(['dm', 'follower', 'media', 'notification', 'search', 'timeline', 'tweet', 'user'])
    for (const [owner, catalogue] of [['platform', platformCatalogue], ['gateway', gatewayCatalogue], ...Object.entries(catalogues)] as [string, Catalogue][]) {
      for (const [code, entry] of Object.entries(catalogue)) {
        expect(seen.get(code), `${code} of ${owner} is listed twice`).toBeUndefined()
        seen.set(code, owner)
        expect(entry.title.length).toBeGreaterThan(0)
      }
    }
  })

  it('hold every problem the gateway answers with, with the same status and title', () => {
    const template = fs.readFileSync(path.join(path.dirname(readmePath), 'nginx', 'nginx.conf.template'), 'utf8')
    const problems = [...template.matchAll(/return (\d{3}) '(\{"type".*?\})';/g)].map(([, status, body]) => ({ ...JSON.parse(body!.replaceAll(/\$\w+/g, '')) as { code: string; title: string }, status: Number(status) }))
    expect(problems.length).toBeGreaterThan(8)
    const catalogue: Catalogue = { ...platformCatalogue, ...gatewayCatalogue }
    for (const problem of problems) {
      expect(catalogue[problem.code], problem.code).toBeDefined()
      expect({ code: problem.code, status: problem.status, title: problem.title }).toEqual({ code: problem.code, status: catalogue[problem.code]!.status, title: catalogue[problem.code]!.title })
    }
  })
})
