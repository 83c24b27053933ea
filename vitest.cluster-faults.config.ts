import { defineConfig } from 'vitest/config'

// The cluster's fault cases (test/cluster-faults), run by `npm run test:cluster` after the
// integration and end-to-end suites, one after another (each kills a member), on the clustered
// topology (STACK_TOPOLOGY=cluster).
export default defineConfig({
  test: {
    name: 'cluster-faults',
    include: ['test/cluster-faults/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
})
