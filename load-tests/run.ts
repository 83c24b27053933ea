// `npm run load -- <profile> [--raise-limits] [k6 options...]`: builds k6 (once) and runs the
// journeys in load-tests/k6/starling.js against the running stack's gateway, or GATEWAY_URL.
import { GatewayNotReady, prepareGateway } from './local-gateway.ts'
import { runK6, THRESHOLDS_CROSSED } from './k6-runner.ts'

const PROFILES = ['smoke', 'load', 'stress', 'spike', 'soak']
const [profile = '', ...rest] = process.argv.slice(2)
const log = (line: string) => process.stderr.write(`load: ${line}\n`)

async function main() {
  if (!PROFILES.includes(profile)) throw new GatewayNotReady(`usage: npm run load -- <${PROFILES.join('|')}> [--raise-limits] [k6 run options]`)
  const target = await prepareGateway({
    raise: rest.includes('--raise-limits'),
    // setup() signs up to 150 accounts at once, and the spike profile holds 100 sockets.
    needs: { RATE_AUTH_PER_MINUTE: 3000, RATE_AUTH_BURST: 200, WS_CONNECTIONS_PER_ADDRESS: profile === 'smoke' ? 5 : 200 },
    log,
  })
  const { goTool } = await import('../scripts/stack/components/tools.ts')
  const k6 = goTool('k6')
  log(`k6 ${profile} profile against ${target}`)
  const args = rest.filter((arg) => arg !== '--raise-limits')
  const { code } = await runK6(k6, { script: 'starling.js', env: { PROFILE: profile, GATEWAY_URL: target }, args, output: 'inherit' })
  if (code === THRESHOLDS_CROSSED) log('thresholds were crossed (see the summary above)')
  return code ?? 1
}

main().then((code) => { process.exitCode = code }, (error: unknown) => {
  log(error instanceof GatewayNotReady ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error))
  process.exitCode = 2
})
