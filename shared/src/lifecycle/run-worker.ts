import type { FastifyInstance } from 'fastify'
import { runService } from './run-service.ts'

/** Background work a worker process runs between start and stop: consumers, an outbox relay. */
export interface Worker {
  start(): Promise<void>
  stop(): Promise<void>
}

/**
 * Runs a service's worker behind `app` (createWorkerApp's probes): started once the app listens;
 * when the app closes (on a signal, as runService does) stopped first, so its consumers commit,
 * and then what the composition root opened is closed.
 * Not started in Fastify's onReady: a start waiting for a Kafka that is away outlasted the 10 s
 * Fastify gives it, and the process ended instead of waiting. A start that fails still ends it.
 */
export async function runWorker(app: FastifyInstance, deps: { worker: Worker; close(): Promise<void> }, listen: { host: string; port: number }) {
  app.addHook('onClose', async () => {
    await deps.worker.stop()
    await deps.close()
  })
  await runService(app, listen)
  await deps.worker.start()
}
