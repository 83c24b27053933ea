import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RAISED_GATEWAY_LIMITS } from '../../load-tests/config.ts'
import { readSummary, runK6, stat, THRESHOLDS_CROSSED, thresholdResults } from '../../load-tests/k6-runner.ts'
import { goTool } from '../../scripts/stack/components/tools.ts'
import { testEnv } from '../setup/env.ts'
import { freePort, startGateway, type Running } from '../setup/processes.ts'

// The k6 smoke profile (load-tests/k6/starling.js): every journey once or a few times through the
// gateway, with the load profiles' thresholds on errors and journeys (latencies are reported, not
// judged). It runs for about 30 s; building k6 from the Go module proxy the first time takes minutes.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'starling-k6-'))
let k6 = ''
let brokenGateway: Running | undefined

beforeAll(() => {
  k6 = goTool('k6')
}, 900_000)

afterAll(() => brokenGateway?.stop())

describe('k6 smoke profile', () => {
  it('runs every journey through the gateway and passes every threshold', async () => {
    const summaryFile = path.join(dir, 'smoke.json')
    const run = await runK6(k6, { script: 'starling.js', env: { PROFILE: 'smoke', GATEWAY_URL: testEnv.gatewayUrl }, summaryExport: summaryFile, output: 'capture' })
    expect(run.code, run.output.slice(-4000)).toBe(0)
    const summary = readSummary(summaryFile)
    const results = thresholdResults(summary)
    expect(results.filter((r) => !r.held)).toEqual([])
    for (const journey of ['signup', 'social', 'reader', 'search', 'realtime']) {
      expect(results.map((r) => r.threshold)).toContain(`journey_ok{scenario:${journey}}: rate>0.99`)
      expect(stat(summary, `iterations{scenario:${journey}}`, 'count')).toBeGreaterThan(0)
    }
    expect(stat(summary, 'notification_received', 'value')).toBe(1)
    expect(stat(summary, 'http_req_duration{endpoint:timeline}', 'p(99)')).toBeGreaterThan(0)
  }, 120_000)

  it('fails its thresholds when an endpoint is broken (timelines behind an upstream that is down)', async () => {
    brokenGateway = await startGateway({ limits: RAISED_GATEWAY_LIMITS, upstreams: { timeline: `127.0.0.1:${await freePort()}` } })

    const summaryFile = path.join(dir, 'broken.json')
    const run = await runK6(k6, {
      script: 'starling.js', env: { PROFILE: 'smoke', GATEWAY_URL: brokenGateway.url, DURATION: '5s' }, summaryExport: summaryFile, output: 'capture',
    })
    expect(run.code, run.output.slice(-4000)).toBe(THRESHOLDS_CROSSED)
    const crossed = thresholdResults(readSummary(summaryFile)).filter((r) => !r.held).map((r) => r.threshold)
    expect(crossed).toEqual(expect.arrayContaining(['http_req_failed: rate<0.01', 'journey_ok{scenario:reader}: rate>0.99']))
    // The journeys that do not read timelines still pass on their own.
    expect(crossed).not.toContain('journey_ok{scenario:search}: rate>0.99')
  }, 120_000)
})
