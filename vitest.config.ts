import { defineConfig } from 'vitest/config'

// unit: beside the code, no servers. integration: a service or the shared package against the real
// servers. e2e: through nginx against the running stack. scripts/test.ts provides the servers.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'scripts/**/*.test.ts', 'test/deploy/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['shared/test/**/*.test.ts', 'services/*/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Attacks and hostile input against the running stack, through nginx.
        test: {
          name: 'security',
          include: ['test/security/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Tests that take a server away (Kafka down, Redis flushed): after all the others, one file at a time.
        test: {
          name: 'disruptive',
          include: ['test/disruptive/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // What the whole run left behind (the logs): after everything else.
        test: {
          name: 'audit',
          include: ['test/audit/**/*.test.ts'],
          testTimeout: 60_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
})
