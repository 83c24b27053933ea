import Type from 'typebox'
import { loadConfig, PostgresEnv } from '../config/load-config.ts'

export const loadMigrateConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(Type.Object({ ...PostgresEnv, LOG_LEVEL: Type.String({ default: 'info' }) }), env)
