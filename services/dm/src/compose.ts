import { csv } from '@starling/shared/config'
import { createPostgresPool } from '@starling/shared/db'
import { topics } from '@starling/shared/events'
import { createKafkaEventBus } from '@starling/shared/events/kafka'
import { servicePlatform, type Worker } from '@starling/shared/lifecycle'
import { createOutboxRelay, createPgUnitOfWork, outboxBacklog } from '@starling/shared/outbox'
import { createRelationReplica, createReplicaRepository, createUserReplica, userServiceLookup } from '@starling/shared/replicas'
import type { Logger } from 'pino'
import type { DmConfig } from './config.ts'
import { createConversationRepository } from './conversations/conversation.repository.ts'
import { createConversationService } from './conversations/conversation.service.ts'
import { errors } from './errors.ts'
import { createMessageRepository } from './messages/message.repository.ts'
import { createMessageService } from './messages/message.service.ts'

const SERVICE = 'dm'

/**
 * The dm service's dependencies, built once per process: server.ts serves `messages` and
 * `conversations` over HTTP, worker.ts runs `worker` (the outbox relay and the consumer of the
 * user and block replicas).
 */
export function compose(config: DmConfig, options: { logger?: Logger } = {}) {
  const platform = servicePlatform(SERVICE, config, options)
  const { logger, metrics } = platform
  const pool = createPostgresPool(config, logger)
  const bus = createKafkaEventBus({ brokers: csv(config.KAFKA_BROKERS), clientId: `${SERVICE}-service`, logger, metrics })

  const replicas = createReplicaRepository(pool)
  // A message to someone who registered a moment ago must not be refused while the replica catches up.
  const users = createUserReplica(replicas, {
    lookup: userServiceLookup({ userServiceUrl: config.USER_SERVICE_URL, timeoutMs: config.USER_SERVICE_TIMEOUT_MS, unavailable: errors.DM_USER_SERVICE_UNAVAILABLE, logger }),
  })
  const blocks = createRelationReplica(replicas, ['blocks'])
  const conversations = createConversationRepository(pool)
  const messages = createMessageService({
    uow: createPgUnitOfWork(pool, (sql) => ({ messages: createMessageRepository(sql), conversations: createConversationRepository(sql) })),
    messages: createMessageRepository(pool),
    conversations,
    users,
    blocks,
  })

  const relay = createOutboxRelay({ pool, bus, logger, metrics })
  const worker: Worker = {
    async start() {
      await relay.start()
      await bus.subscribe({
        group: 'dm-replicas',
        topics: [topics.users.name, topics.graph.name],
        handle: async (event) => {
          await users.handle(event)
          await blocks.handle(event)
        },
      })
    },
    stop: () => relay.stop(),
  }

  return {
    ...platform,
    messages,
    conversations: createConversationService({ conversations }),
    worker,
    checks: { postgres: () => pool.query('SELECT 1') },
    reports: { kafka: bus.ping, outbox: () => outboxBacklog(pool) },
    /** Ends what compose opened, after the process stopped using it. */
    async close() {
      await bus.close()
      await pool.end()
    },
  }
}
export type DmDeps = ReturnType<typeof compose>
