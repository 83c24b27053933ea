import type { EventEnvelope } from '../events/envelope.ts'
import type { EventSink, UnitOfWork } from '../outbox/unit-of-work.ts'

/**
 * A unit of work over in-memory repositories, for unit tests of a service's rules. Events are kept
 * in `published` only when the work resolves (as the outbox keeps them only on commit); the
 * repositories' own changes are not rolled back, so a test of a failing rule asserts the events.
 */
export function createMemoryUnitOfWork<Repos>(repos: Repos): UnitOfWork<Repos> & { published: EventEnvelope[] } {
  const published: EventEnvelope[] = []
  return {
    published,
    async run(work) {
      const pending: EventEnvelope[] = []
      const sink: EventSink = { publish: (...events) => { pending.push(...events) } }
      const result = await work(repos, sink)
      published.push(...pending)
      return result
    },
  }
}
