import { createApiApp } from '@starling/shared/http'
import type { TweetDeps } from './compose.ts'
import { engagementRoutes } from './engagements/engagement.routes.ts'
import { errors } from './errors.ts'
import { tweetRoutes } from './tweets/tweet.routes.ts'

/** The tweet service's HTTP API over its dependencies; closing it closes them. */
export async function buildApp(deps: TweetDeps) {
  const app = await createApiApp(deps, {
    description: 'Tweets, likes and retweets. Publishes tweet and engagement events through its outbox.',
    errors,
  })
  await app.register(tweetRoutes, { tweets: deps.tweets })
  await app.register(engagementRoutes, { engagements: deps.engagements })
  return app
}
