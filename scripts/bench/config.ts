// The benchmark's settings: what it changes in the stack, and how long and how hard it measures.
// Override any of them from the environment (BENCH_*), e.g. BENCH_PHASE_SECONDS=5 for a quick try.
const int = (name: string, fallback: number) => {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name}=${JSON.stringify(raw)} must be a positive integer`)
  return value
}

export const benchConfig = {
  /** Authors with this many followers are merged at read time; the world has a few above it. */
  celebrityThreshold: int('BENCH_CELEBRITY_THRESHOLD', 50),
  /** Seconds of each throughput or latency measurement. */
  phaseSeconds: int('BENCH_PHASE_SECONDS', 15),
  /** Seconds of the sustained-write run (fanout lag, visibility, search freshness, notifications). */
  pipelineSeconds: int('BENCH_PIPELINE_SECONDS', 40),
  /** Virtual users (concurrent connections, no pause) of the read and write throughput runs. */
  readVus: int('BENCH_READ_VUS', 16),
  writeVus: int('BENCH_WRITE_VUS', 8),
  /** Tweets per second during the sustained-write run. */
  writeRate: int('BENCH_WRITE_RATE', 50),
  /** Tweets per second, and seconds, of the second, faster run (its fanout lag only). */
  fastWriteRate: int('BENCH_FAST_WRITE_RATE', 200),
  fastPipelineSeconds: int('BENCH_FAST_PIPELINE_SECONDS', 20),
  /** Idle authenticated sockets opened straight at one notification process, and through the gateway. */
  directSockets: int('BENCH_DIRECT_SOCKETS', 20_000),
  gatewaySockets: int('BENCH_GATEWAY_SOCKETS', 10_000),
  /** Concurrent writers of the write growth table (the throughput row uses writeVus). */
  writerCounts: [1, int('BENCH_WRITE_VUS', 8), 32],
}

/** The environment the stack's services and gateway run with during the benchmark. */
export const benchStackEnv = () => ({ TIMELINE_CELEBRITY_THRESHOLD: benchConfig.celebrityThreshold })
