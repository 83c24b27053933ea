import { chromium } from '@playwright/test'
import type { GrowthTable } from './growth.ts'

// The web client's first load in Debian's Chromium, each time in a fresh context (a cold cache):
// until the sign-in form is on screen. Its baseline, in the same run, is the same page with its
// script and stylesheet refused, which leaves what any page costs here (nginx, the browser's own
// start of a document); the client's cost is the ratio.
const RUNS = 7

interface Load { ms: number; bytes: number; requests: number }

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

export async function measureWebClient(gateway: string): Promise<GrowthTable & { firstLoadMs: number; bytes: number }> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] })
  try {
    async function load(bare: boolean): Promise<Load> {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
      const page = await context.newPage()
      if (bare) await page.route('**/assets/**', (route) => route.abort())
      const started = Date.now()
      await page.goto(`${gateway}/signin`, { waitUntil: bare ? 'load' : 'commit' })
      if (!bare) await page.getByRole('button', { name: 'Sign in' }).waitFor()
      const ms = Date.now() - started
      // Bytes on the wire (compressed, headers excluded) of everything the page fetched.
      const entries = await page.evaluate(`(() => [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')].map((e) => e.encodedBodySize))()`) as number[]
      await context.close()
      return { ms, bytes: entries.reduce((a, b) => a + b, 0), requests: entries.length }
    }
    await load(false) // the browser's own first start
    const client: Load[] = []
    const bare: Load[] = []
    for (let i = 0; i < RUNS; i++) {
      client.push(await load(false))
      bare.push(await load(true))
    }
    const clientMs = median(client.map((l) => l.ms))
    const bareMs = median(bare.map((l) => l.ms))
    const bytes = client[0]!.bytes
    return {
      title: 'Web client: first load, cold cache, until the sign-in form is on screen',
      columns: ['measure', 'value'],
      rows: [
        [`first load (median of ${RUNS})`, `${clientMs} ms`],
        ['the page without its script and stylesheet (baseline)', `${bareMs} ms`],
        ['first load / baseline', `${(clientMs / bareMs).toFixed(2)}×`],
        ['bytes fetched (compressed), requests', `${(bytes / 1024).toFixed(1)} KiB in ${client[0]!.requests} requests`],
      ],
      plot: { unit: 'ms', x: ['client', 'baseline'], series: [{ name: 'first load', values: [clientMs, bareMs] }] },
      note: 'Chromium 156 (Debian), a new context per load, through the gateway on loopback: no network latency, so this is the cost of the bytes and of running the script, not of a phone network.',
      firstLoadMs: clientMs,
      bytes,
    }
  } finally {
    await browser.close()
  }
}
