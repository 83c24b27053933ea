import Type from 'typebox'
import { KafkaEnv, loadConfig } from '../config/load-config.ts'

export const loadTopicsConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(Type.Object({ ...KafkaEnv, KAFKA_REPLICATION_FACTOR: Type.Integer({ minimum: 1, default: 1 }) }), env)
