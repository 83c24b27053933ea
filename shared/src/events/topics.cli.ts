// `node shared/src/events/topics.cli.ts`: creates the catalog's missing topics on KAFKA_BROKERS.
import { allTopics } from './catalog.ts'
import { loadTopicsConfig } from './config.ts'
import { ensureTopics } from './kafka-event-bus.ts'
import { csv } from '../config/load-config.ts'

const config = loadTopicsConfig()
const created = await ensureTopics(csv(config.KAFKA_BROKERS), allTopics, config.KAFKA_REPLICATION_FACTOR)
process.stdout.write(created.length ? `created ${created.join(', ')}\n` : 'all topics exist\n')
