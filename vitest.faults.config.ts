import { defineConfig } from 'vitest/config'

// `npm run test:faults` (scripts/faults.ts): every fault case against the running stack, one after
// another (each takes servers away), with the services behind toxiproxy. Not part of `npm test`.
export default defineConfig({
  test: {
    name: 'faults',
    include: ['test/faults/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 300_000,
  },
})
