// The Kafka adapter of the event bus (kafkajs): the one entry point that loads a Kafka client.
export { createKafkaEventBus, ensureTopics, kafkaProbe, type KafkaEventBusOptions } from './kafka-event-bus.ts'
export { patchKafkajsTimerLoop } from './kafkajs-timer-fix.ts'
