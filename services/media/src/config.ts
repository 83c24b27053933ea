import { JwtVerifyEnv } from '@starling/shared/auth'
import { HttpEnv, KafkaEnv, loadConfig, Port, PostgresEnv, Url } from '@starling/shared/config'
import Type from 'typebox'

export const MediaConfigSchema = Type.Object({
  ...HttpEnv,
  ...KafkaEnv,
  ...PostgresEnv,
  ...JwtVerifyEnv,
  PORT: Port(3008),
  S3_ENDPOINT: Url(),
  S3_REGION: Type.String({ default: 'us-east-1' }),
  S3_BUCKET: Type.String({ minLength: 3, default: 'starling-media' }),
  S3_ACCESS_KEY_ID: Type.String({ minLength: 1 }),
  S3_SECRET_ACCESS_KEY: Type.String({ minLength: 1 }),
  S3_PUBLIC_URL: Url(),
  MEDIA_MAX_BYTES: Type.Integer({ minimum: 1, default: 10 * 1024 * 1024, description: 'the largest upload the policy allows' }),
  MEDIA_UPLOAD_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 300, description: 'how long an upload policy is valid' }),
  MEDIA_UNUSED_SECONDS: Type.Integer({ minimum: 60, default: 24 * 3600, description: 'how old an upload no tweet or profile uses gets before it is deleted' }),
  MEDIA_SWEEP_SECONDS: Type.Integer({ minimum: 1, maximum: 86_400, default: 300, description: 'how often the worker looks for unused uploads' }),
  MEDIA_MAX_PIXELS: Type.Integer({ minimum: 1, default: 40_000_000, description: 'width × height above which a file is refused undecoded' }),
})
export type MediaConfig = Type.Static<typeof MediaConfigSchema>

export const loadMediaConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(MediaConfigSchema, env)
