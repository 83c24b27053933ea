import type { ProcessedEventRepository } from './processed-event.repository.ts'

/** processed_events in memory: each (consumer, event id) is claimed once. */
export function createMemoryProcessedEventRepository(): ProcessedEventRepository {
  const claimed = new Set<string>()
  return {
    async claim(consumer, eventId) {
      const key = `${consumer}:${eventId}`
      if (claimed.has(key)) return false
      claimed.add(key)
      return true
    },
  }
}
