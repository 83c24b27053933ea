import fs from 'node:fs'
import path from 'node:path'
import { raisedLimitsEnv, RAISED_GATEWAY_LIMITS, setEnv, targetGatewayUrl } from './config.ts'

export type GatewayLimit = keyof typeof RAISED_GATEWAY_LIMITS

export class GatewayNotReady extends Error {}

/**
 * The gateway to load: GATEWAY_URL, or the running stack's own. For the stack's own, checks that
 * its limits let `needs` through from one address, and with `raise` first restarts nginx with
 * RAISED_GATEWAY_LIMITS (saying so). Call it before anything imports the stack library, which
 * reads the limits from the environment once, when it loads.
 */
export async function prepareGateway(options: { needs: Partial<Record<GatewayLimit, number>>; raise: boolean; log: (line: string) => void }) {
  if (options.raise) setEnv(raisedLimitsEnv())
  const { stack } = await import('../scripts/stack/config.ts')
  const { gatewayUrl } = await import('../scripts/stack/components/nginx.ts')
  const { isUp, restartServices } = await import('../scripts/stack/stack.ts')
  const target = targetGatewayUrl() ?? gatewayUrl()
  if (target !== gatewayUrl()) return target
  if (!(await isUp())) throw new GatewayNotReady(`the stack's gateway (${target}) is not up: start it with \`npm start\`, or set GATEWAY_URL`)
  if (options.raise) {
    // nginx and the services restart with the limits (the services keep the per-user ones); the servers keep running.
    await restartServices()
    options.log(`restarted the gateway and the services with ${Object.entries(raisedLimitsEnv()).map(([k, v]) => `${k}=${v}`).join(' ')}; `
      + 'they keep them until they restart (`npm run stack -- restart-services` brings back the defaults)')
  }
  const limits = renderedLimits(fs.readFileSync(path.join(stack.dir, 'nginx', 'nginx.conf'), 'utf8'))
  const short = Object.entries(options.needs).filter(([name, need]) => (limits[name as GatewayLimit] ?? Infinity) < need)
  if (short.length > 0) {
    throw new GatewayNotReady(`the gateway's limits are too low for this much traffic from one address (${short.map(([name, need]) => `${name} is ${limits[name as GatewayLimit]}, needs ${need}`).join('; ')}); `
      + 'add --raise-limits to restart nginx with high ones')
  }
  return target
}

/** The per-address and per-user limits in a rendered gateway config (nginx/nginx.conf.template). */
export function renderedLimits(conf: string): Partial<Record<GatewayLimit, number>> {
  const number = (pattern: RegExp) => {
    const match = pattern.exec(conf)
    return match ? Number(match[1]) : undefined
  }
  return {
    RATE_AUTH_PER_MINUTE: number(/zone=auth:\S+ rate=(\d+)r\/m/),
    RATE_AUTH_BURST: number(/limit_req zone=auth burst=(\d+)/),
    RATE_WRITES_PER_SECOND: number(/zone=writes:\S+ rate=(\d+)r\/s/),
    RATE_WRITES_BURST: number(/limit_req zone=writes burst=(\d+)/),
    RATE_READS_PER_SECOND: number(/zone=reads:\S+ rate=(\d+)r\/s/),
    RATE_READS_BURST: number(/limit_req zone=reads burst=(\d+)/),
    WS_CONNECTIONS_PER_ADDRESS: number(/limit_conn ws (\d+)/),
  }
}
