import { createApiApp } from '@starling/shared/http'
import { authRoutes } from './auth/auth.routes.ts'
import type { UserDeps } from './compose.ts'
import { errors } from './errors.ts'
import { userRoutes } from './users/user.routes.ts'

/** The user service's HTTP API over its dependencies; closing it closes them. */
export async function buildApp(deps: UserDeps) {
  const app = await createApiApp(deps, {
    description: 'Accounts, sign-in and profiles. Publishes user events through its outbox.',
    errors,
  })
  await app.register(userRoutes, { users: deps.users })
  await app.register(authRoutes, { auth: deps.auth })
  return app
}
