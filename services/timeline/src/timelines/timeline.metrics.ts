import { Counter, Histogram, type Registry } from 'prom-client'

export function createTimelineMetrics(registry: Registry) {
  return {
    fanoutLag: new Histogram({
      name: 'timeline_fanout_lag_seconds',
      help: 'From a tweet being created to its entry being in the followers\' home timelines.',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    fanoutEntries: new Counter({
      name: 'timeline_fanout_entries_total',
      help: 'Entries written into home timelines by fanout.',
      registers: [registry],
    }),
    cacheMisses: new Counter({
      name: 'timeline_cache_misses_total',
      help: 'Rounds of a home timeline read that loaded tweets or names from Postgres (the Redis copies lacked them).',
      registers: [registry],
    }),
    pullMerges: new Counter({
      name: 'timeline_pull_merges_total',
      help: 'Home timeline reads that merged in high-follower authors at read time.',
      registers: [registry],
    }),
  }
}
export type TimelineMetrics = ReturnType<typeof createTimelineMetrics>
