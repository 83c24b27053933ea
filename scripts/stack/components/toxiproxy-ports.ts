import { stack } from '../config.ts'

/** toxiproxy's API and its three proxies, on consecutive ports from TOXIPROXY_PORT_BASE. */
export const toxiproxyPorts = () => {
  const base = stack.ports.toxiproxyBase
  return { api: base, postgres: base + 1, redis: base + 2, kafka: base + 3 }
}
