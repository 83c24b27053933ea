import type { Logger } from 'pino'
import { CloseCode } from './close-codes.ts'
import { createLiveConnection, type LiveConnection, type LiveConnectionOptions, type LiveSocket } from './live-connection.ts'
import type { LiveEventStore, LiveFeed } from './live-event.store.ts'
import type { PresenceStore } from './presence.store.ts'
import { missedSince } from './stream-id.ts'

interface Listeners {
  connections: Set<LiveConnection>
  /** Settles when this instance hears the user's channel. */
  subscribed: Promise<unknown>
}

/**
 * This instance's authenticated sockets, by user, and the feed that fills them: the instance
 * listens for the events of each user it holds a socket of, whichever instance made them. A
 * socket is subscribed before its replay is read, so an event is either in the replay or heard
 * live (or both, and then sent once).
 */
export function createLiveHub(deps: {
  feed: LiveFeed
  store: Pick<LiveEventStore, 'sync'>
  /** Where this instance says whom it holds sockets of: new tweets are pushed to them. */
  presence: Pick<PresenceStore, 'mark'>
  logger: Logger
  connection: LiveConnectionOptions
}) {
  const { feed, store, presence, logger } = deps
  const users = new Map<string, Listeners>()

  // A user not marked present misses the tweets posted until the next mark, nothing else: logged, not fatal.
  const mark = (userIds: string[]) => presence.mark(userIds).catch((error: unknown) => logger.warn({ err: error }, 'could not mark users present'))

  feed.onEvent((userId, event) => {
    for (const connection of users.get(userId)?.connections ?? []) connection.deliver(event)
  }, (channel) => logger.warn({ channel }, 'ignoring a live message that is not an event'))

  // While the feed is disconnected this instance hears nothing: its sockets are closed so that
  // their clients reconnect with their last event id and the replay fills the hole.
  feed.onLost(() => {
    for (const listeners of users.values()) {
      for (const connection of listeners.connections) connection.close(CloseCode.serviceRestart, 'live feed interrupted; reconnect with last_event_id')
    }
  })

  function listen(userId: string): Listeners {
    const existing = users.get(userId)
    if (existing) return existing
    const listeners: Listeners = {
      connections: new Set(),
      subscribed: feed.subscribe(userId).catch((error: unknown) => {
        // The next socket of this user subscribes afresh.
        if (users.get(userId) === listeners) users.delete(userId)
        throw error
      }),
    }
    users.set(userId, listeners)
    return listeners
  }

  async function sync(connection: LiveConnection, listeners: Listeners, after: string | undefined) {
    try {
      await listeners.subscribed
      const stream = await store.sync(connection.userId, after)
      const missed = after !== undefined && missedSince(after, stream)
      connection.start(after ?? stream.lastId, stream.events, missed)
    } catch (error) {
      logger.warn({ err: error, user_id: connection.userId }, 'could not start a live connection')
      connection.close(CloseCode.internalError, 'live feed unavailable; reconnect shortly')
    }
  }

  return {
    /**
     * Adds an authenticated socket; it receives `ready` and its replay (the events after `after`,
     * when given) shortly, then live events.
     */
    attach(userId: string, socket: LiveSocket, after?: string): LiveConnection {
      const connection = createLiveConnection(userId, socket, deps.connection)
      const listeners = listen(userId)
      listeners.connections.add(connection)
      // Present before the replay is read: a tweet posted meanwhile is in the replay or heard live.
      void mark([userId]).then(() => sync(connection, listeners, after))
      return connection
    },

    detach(connection: LiveConnection) {
      const listeners = users.get(connection.userId)
      if (!listeners?.connections.delete(connection) || listeners.connections.size > 0) return
      users.delete(connection.userId)
      // The grace counts from the last socket's close, for the client's reconnect.
      void mark([connection.userId])
      feed.unsubscribe(connection.userId).catch((error: unknown) => logger.warn({ err: error }, 'could not unsubscribe'))
    },

    /** Marks present, again, every user this instance holds a socket of (at each ping, well within the grace). */
    refreshPresence: () => (users.size > 0 ? mark([...users.keys()]) : Promise.resolve()),

    /** Authenticated sockets on this instance. */
    get size() {
      let n = 0
      for (const listeners of users.values()) n += listeners.connections.size
      return n
    },

    async close() {
      users.clear()
      await feed.close()
    },
  }
}
export type LiveHub = ReturnType<typeof createLiveHub>
