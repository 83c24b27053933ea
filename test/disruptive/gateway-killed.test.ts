import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { nginx } from '../../scripts/stack/components/nginx.ts'
import { runningPid } from '../../scripts/stack/process.ts'
import { gateway } from '../setup/http.ts'

// Kills the stack's nginx (a local process; see scripts/stack), so this runs on the local stack.
describe('the gateway killed', () => {
  it('comes back on the next start, though a killed nginx leaves its unix sockets behind', async () => {
    const pid = runningPid('nginx')
    expect(pid).toBeDefined()
    try {
      process.kill(-pid!, 'SIGKILL')
      await waitFor(() => runningPid('nginx') === undefined, { what: 'nginx gone' })
    } finally {
      await nginx.start()
      await nginx.ready()
    }
    await waitFor(() => runningPid('nginx') !== undefined, { what: 'nginx running again' })
    expect((await gateway('/health')).status).toBe(200)
  })
})
