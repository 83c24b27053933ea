import { authOptions, authPlugin } from '@starling/shared/auth'
import { createServiceApp } from '@starling/shared/http'
import type { DmDeps } from './compose.ts'
import { conversationRoutes } from './conversations/conversation.routes.ts'
import { errors } from './errors.ts'
import { messageRoutes } from './messages/message.routes.ts'

/** The dm service's HTTP API over its dependencies; closing it closes them. */
export async function buildApp(deps: DmDeps) {
  const app = await createServiceApp({
    service: deps.service,
    description: 'Direct messages between two people. Publishes message events through its outbox.',
    config: deps.config,
    errors,
    logger: deps.logger,
    metrics: deps.metrics,
    checks: deps.checks,
    reports: deps.reports,
  })
  app.addHook('onClose', () => deps.close())
  await app.register(authPlugin, authOptions(deps.config))
  await app.register(messageRoutes, { messages: deps.messages })
  await app.register(conversationRoutes, { conversations: deps.conversations })
  return app
}
