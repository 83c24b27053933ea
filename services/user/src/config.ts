import { JwtVerifyEnv } from '@starling/shared/auth'
import { HttpEnv, KafkaEnv, loadConfig, Port, PostgresEnv } from '@starling/shared/config'
import Type from 'typebox'

export const UserConfigSchema = Type.Object({
  ...HttpEnv,
  ...KafkaEnv,
  ...PostgresEnv,
  ...JwtVerifyEnv,
  PORT: Port(3001),
  JWT_PRIVATE_KEY: Type.String({ minLength: 1, description: 'PEM (literal \\n allowed) of the ES256 key access tokens are signed with' }),
  REFRESH_TOKEN_TTL_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 30 }),
  REFRESH_REUSE_GRACE_SECONDS: Type.Integer({ minimum: 0, maximum: 300, default: 30, description: 'how long a spent refresh token may come again while its successor is unused (a lost response), before it counts as a replay' }),
  HASH_CONCURRENCY: Type.Integer({ minimum: 1, default: 2, description: 'argon2 hashes at once; each takes ~19 MiB and a core for tens of ms' }),
  HASH_QUEUE_MAX: Type.Integer({ minimum: 0, default: 64, description: 'hashes allowed to wait; beyond it logins get 503' }),
})
export type UserConfig = Type.Static<typeof UserConfigSchema>

export const loadUserConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(UserConfigSchema, env)
