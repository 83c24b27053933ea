// `npm start` / `npm stop` / `npm run stack -- <command>`: the stack from the command line.
import { stack } from './config.ts'
import { gatewayUrl } from './components/nginx.ts'
import { say, StackError } from './process.ts'
import { down, restartService, restartServices, status, up } from './stack.ts'

const waitForSignal = () => new Promise<void>((resolve) => {
  process.once('SIGINT', resolve)
  process.once('SIGTERM', resolve)
})

async function main(command = 'start') {
  switch (command) {
    case 'start': {
      const started = Date.now()
      const handle = await up()
      say(`ready in ${((Date.now() - started) / 1000).toFixed(0)} s; logs in ${stack.logs}`)
      process.stdout.write(`Starling is up: ${gatewayUrl()}\n`)
      say('press Ctrl-C to stop everything (or run `npm stop` elsewhere)')
      await waitForSignal()
      say('stopping...')
      await down()
      await handle.release()
      return
    }
    case 'up':
      if (stack.infra === 'containers') throw new StackError('`up` leaves the stack running after it exits, which containers cannot; use `npm start`')
      await up()
      process.stdout.write(`${gatewayUrl()}\n`)
      return
    case 'restart-services':
      await restartServices()
      return
    case 'restart-service':
      await restartService(process.argv[3] ?? '')
      return
    case 'stop':
      await down()
      say('stopped')
      return
    case 'status':
      status()
      return
    default:
      throw new StackError(`unknown command ${command}; use start, up, stop, status, restart-services or restart-service <name>`)
  }
}

main(process.argv[2]).catch((error: unknown) => {
  say(`error: ${error instanceof StackError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  process.exitCode = 1
})
