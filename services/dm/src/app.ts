import { authOptions, authPlugin } from '@starling/shared/auth'
import { csv } from '@starling/shared/config'
import { postgresPlugin } from '@starling/shared/db'
import { kafkaProbe } from '@starling/shared/events/kafka'
import { createServiceApp } from '@starling/shared/http'
import { outboxBacklog } from '@starling/shared/outbox'
import { createReplicaRepository, createUserReplica, userServiceLookup } from '@starling/shared/replicas'
import type { Logger } from 'pino'
import { errors } from './errors.ts'
import { createBlockReplica } from './blocks/block-replica.ts'
import type { DmConfig } from './config.ts'
import { createConversationRepository } from './conversations/conversation.repository.ts'
import { conversationRoutes } from './conversations/conversation.routes.ts'
import { createConversationService } from './conversations/conversation.service.ts'
import { createMessageRepository } from './messages/message.repository.ts'
import { messageRoutes } from './messages/message.routes.ts'
import { createMessageService } from './messages/message.service.ts'

export async function buildApp(config: DmConfig, deps: { logger?: Logger } = {}) {
  const app = await createServiceApp({
    service: 'dm',
    description: 'Direct messages between two people. Publishes message events through its outbox.',
    config,
    ...(deps.logger ? { logger: deps.logger } : {}),
    checks: { postgres: () => app.pg.query('SELECT 1') },
    reports: { kafka: kafkaProbe(csv(config.KAFKA_BROKERS), 'dm-service'), outbox: () => outboxBacklog(app.pg.pool) },
  })
  await app.register(postgresPlugin, config)
  await app.register(authPlugin, authOptions(config))
  const pool = app.pg.pool
  const users = createUserReplica(createReplicaRepository(pool), { lookup: userServiceLookup({ userServiceUrl: config.USER_SERVICE_URL, timeoutMs: config.USER_SERVICE_TIMEOUT_MS, unavailable: errors.DM_USER_SERVICE_UNAVAILABLE, logger: app.log as Logger }) })
  const conversations = createConversationRepository(pool)
  await app.register(messageRoutes, {
    messages: createMessageService({ pool, messages: createMessageRepository(pool), conversations, users, blocks: createBlockReplica(pool) }),
  })
  await app.register(conversationRoutes, { conversations: createConversationService({ conversations }) })
  return app
}
