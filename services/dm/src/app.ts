import { createApiApp } from '@starling/shared/http'
import type { DmDeps } from './compose.ts'
import { conversationRoutes } from './conversations/conversation.routes.ts'
import { errors } from './errors.ts'
import { messageRoutes } from './messages/message.routes.ts'

/** The dm service's HTTP API over its dependencies; closing it closes them. */
export async function buildApp(deps: DmDeps) {
  const app = await createApiApp(deps, {
    description: 'Direct messages between two people. Publishes message events through its outbox.',
    errors,
  })
  await app.register(messageRoutes, { messages: deps.messages })
  await app.register(conversationRoutes, { conversations: deps.conversations })
  return app
}
