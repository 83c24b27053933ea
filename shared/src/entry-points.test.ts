import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import manifest from '../package.json' with { type: 'json' }

// Each entry point of the shared package loads what it needs and no more: a service that imports
// an error helper does not get kafkajs (and the timer patch applied to it), a database driver or a
// Redis client with it. Checked in a fresh Node process, which reports every package it resolved.
const entries = Object.keys(manifest.exports).map((key) => key.slice(2))

function packagesLoadedBy(entry: string) {
  const script = `
    import { registerHooks } from 'node:module'
    const loaded = new Set()
    registerHooks({ resolve(specifier, context, next) {
      const result = next(specifier, context)
      const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(result.url)
      if (match) loaded.add(match[1])
      return result
    } })
    await import('@starling/shared/${entry}')
    console.log(JSON.stringify([...loaded]))`
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: import.meta.dirname, encoding: 'utf8' })) as string[]
}

describe('the shared package\'s entry points', () => {
  it('are one per concern, the root being none of them', () => {
    for (const entry of ['errors', 'events', 'events/kafka', 'http', 'db']) expect(entries).toContain(entry)
    expect(Object.keys(manifest.exports)).not.toContain('.')
  })

  it.each(entries.filter((e) => e !== 'events/kafka'))('%s loads no Kafka client', (entry) => {
    expect(packagesLoadedBy(entry)).not.toContain('kafkajs')
  })

  it('events/kafka is the one that does', () => {
    expect(packagesLoadedBy('events/kafka')).toContain('kafkajs')
  })

  it.each(['errors', 'schemas', 'config', 'events'])('%s loads no driver of a store', (entry) => {
    const loaded = packagesLoadedBy(entry)
    for (const driver of ['pg', 'ioredis', 'kafkajs', '@elastic/elasticsearch']) expect(loaded).not.toContain(driver)
  })
})
