// The load runner's and the benchmark's view of the environment; nothing else here reads it.

/**
 * Gateway limits that load generation from one address needs (sign-ups, many users' requests,
 * sockets), named as in the stack's config (stack.gateway); GATEWAY_<name> in the environment.
 */
export const RAISED_GATEWAY_LIMITS = {
  RATE_AUTH_PER_MINUTE: 100_000,
  RATE_AUTH_BURST: 10_000,
  RATE_WRITES_PER_SECOND: 100_000,
  RATE_WRITES_BURST: 100_000,
  RATE_READS_PER_SECOND: 100_000,
  RATE_READS_BURST: 100_000,
  WS_CONNECTIONS_PER_ADDRESS: 10_000,
} as const

/** Each account's own limits in the services, which a load generator's busiest users pass. */
export const RAISED_USER_LIMITS = { RATE_LIMIT_WRITES: 1_000_000, RATE_LIMIT_READS: 1_000_000 } as const

/**
 * RAISED_GATEWAY_LIMITS as the environment variables scripts/stack/config.ts reads, and
 * RAISED_USER_LIMITS as the services read them.
 */
export const raisedLimitsEnv = () => ({
  ...Object.fromEntries(Object.entries(RAISED_GATEWAY_LIMITS).map(([name, value]) => [`GATEWAY_${name}`, value])),
  ...RAISED_USER_LIMITS,
})

/**
 * Sets variables for this process and what it starts (the stack library reads them when it is
 * imported and when it starts a service); returns each one's previous value.
 */
export function setEnv(values: Record<string, string | number>) {
  const previous: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(values)) {
    previous[name] = process.env[name]
    process.env[name] = String(value)
  }
  return previous
}

/** GATEWAY_URL, when the caller points the load at a gateway other than the stack's own. */
export const targetGatewayUrl = () => process.env.GATEWAY_URL || undefined
