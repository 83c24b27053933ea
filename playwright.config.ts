import { defineConfig, devices } from '@playwright/test'

// Browser tests of the web client through the gateway, in Debian's Chromium (never a downloaded
// browser: @playwright/test 1.64 pairs with Chromium 156). scripts/test.ts runs them after vitest,
// against the same stack; GATEWAY_URL says where it is.
const chromium = {
  executablePath: '/usr/bin/chromium',
  // As root, Chromium refuses its sandbox; the tests load only this stack's pages.
  args: ['--no-sandbox'],
}

export default defineConfig({
  testDir: 'test/browser',
  outputDir: '.stack/playwright',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080',
    launchOptions: chromium,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: chromium, viewport: { width: 1280, height: 800 } } }],
})
