import fs from 'node:fs'
import path from 'node:path'
import { testEnv } from './env.ts'

/** What this test run has added to each of the stack's logs so far, by file name. */
export function logsOfThisRun(): Record<string, string> {
  const offsets = JSON.parse(fs.readFileSync(testEnv.logOffsetsFile, 'utf8')) as Record<string, number>
  return Object.fromEntries(fs.readdirSync(testEnv.logsDir).filter((f) => f.endsWith('.log')).map((file) => {
    const content = fs.readFileSync(path.join(testEnv.logsDir, file))
    return [file, content.subarray(Math.min(offsets[file] ?? 0, content.length)).toString('utf8')]
  }))
}
