import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'

/**
 * Listens and shuts down gracefully: on SIGTERM/SIGINT the app stops accepting requests, finishes
 * those in flight and runs its onClose hooks (consumers commit, pools close) within `graceMs`.
 */
export async function runService(app: FastifyInstance, listen: { host: string; port: number }, graceMs = 10_000) {
  closeWithGrace({ delay: graceMs }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an uncaught error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })
  await app.listen(listen)
}
