import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { newAccount } from '../../../test/setup/accounts.ts'
import { testEnv } from '../../../test/setup/env.ts'
import { post } from '../../../test/setup/social.ts'
import { search, uniqueWord, untilSearch } from './search-client.ts'

const root = fileURLToPath(new URL('../../../', import.meta.url))

async function aliasTarget(alias: string) {
  const response = await fetch(`${testEnv.elasticsearchUrl}/_alias/${alias}`)
  expect(response.status).toBe(200)
  return Object.keys(await response.json() as Record<string, unknown>)
}

/** `npm run reindex -- <args>` as a child process with the test's (the stack's) environment. */
function runReindex(...args: string[]) {
  const child = spawn(process.execPath, ['services/search/src/reindex.cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const collect = (chunk: Buffer) => { output += chunk.toString() }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  return new Promise<{ code: number | null; output: string }>((resolve) => child.on('close', (code) => resolve({ code, output })))
}

describe('reindex', () => {
  it('rebuilds the tweets index while search keeps answering, then reads and writes the new one', async () => {
    const author = await newAccount('author')
    const word = uniqueWord()
    const before = await post(author, `${word} before the reindex`)
    await untilSearch({ q: word }, (ids) => ids.includes(before.id), 'the tweet')
    const [oldIndex] = await aliasTarget('starling-tweets')

    let finished: { code: number | null; output: string } | undefined
    const reindexing = runReindex('tweets').then((result) => { finished = result })
    const during = await post(author, `${word} during the reindex`)
    // Search answers, and finds what was there, all along.
    const answers: { status: number; found: boolean }[] = []
    await waitFor(async () => {
      const response = await search({ q: word }, author)
      answers.push({ status: response.status, found: response.body.items?.some((i: { id: string }) => i.id === before.id) })
      return finished !== undefined
    }, { timeoutMs: 60_000, intervalMs: 50, what: 'the reindex to finish' })
    await reindexing
    expect(finished!.code, finished!.output).toBe(0)
    expect(answers.length).toBeGreaterThan(0)
    expect(answers.filter((a) => a.status !== 200 || !a.found)).toEqual([])

    const [newIndex] = await aliasTarget('starling-tweets')
    expect(newIndex).toMatch(/^starling-tweets-v\d+$/)
    expect(newIndex).not.toBe(oldIndex)
    expect(await aliasTarget('starling-tweets-write')).toEqual([newIndex])
    await untilSearch({ q: word }, (ids) => ids.includes(during.id) && ids.includes(before.id), 'the tweet posted during the reindex')
    const after = await post(author, `${word} after the reindex`)
    await untilSearch({ q: word }, (ids) => ids.length === 3 && ids[0] === after.id, 'a tweet posted after it', { timeoutMs: 2000 })
  })

  it('refuses an unknown index name', async () => {
    const { code, output } = await runReindex('everything')
    expect(code).toBe(2)
    expect(output).toContain('usage: npm run reindex -- <users|tweets|counts|relations|all>')
  })
})
