import { createEvent } from '@starling/shared/events'
import { CursorPart, cursorCodec, pageOf } from '@starling/shared/http'
import type { UnitOfWork } from '@starling/shared/outbox'
import type { UserReplica } from '@starling/shared/replicas'
import Type from 'typebox'
import { errors } from '../errors.ts'
import type { GraphRepository, ListedUser } from './graph.repository.ts'
import type { ListQuery } from './graph.schemas.ts'

const unknownUser = (id: string) => errors.FLW_USER_NOT_FOUND(`No user has id ${id}.`)

/** [micros, id]: where a list page ended (see Position). */
const positionCursor = cursorCodec(Type.Tuple([CursorPart.count(), CursorPart.id]))

/**
 * Follows, blocks and mutes. Each change and its event commit together, and an event is written
 * only when a row was really inserted or deleted, so counts built from the events stay exact.
 * Follow events are keyed by the follower, block and mute events by the blocker or muter.
 */
export function createGraphService(deps: { uow: UnitOfWork<{ graph: GraphRepository }>; graph: GraphRepository; users: Pick<UserReplica, 'exists'> }) {
  const { uow, graph, users } = deps

  /** Both must be accounts: the target to act on it, the actor so that lists can show them. */
  async function checkPair(actorId: string, targetId: string, verb: string) {
    if (actorId === targetId) throw errors.FLW_SELF(`You cannot ${verb} yourself.`)
    if (!(await users.exists(targetId))) throw unknownUser(targetId)
    if (!(await users.exists(actorId))) throw unknownUser(actorId)
  }

  function pageWindow(query: ListQuery) {
    if (!query.cursor) return { limit: query.limit + 1 }
    const [micros, id] = positionCursor.decode(query.cursor)
    return { limit: query.limit + 1, after: { micros, id } }
  }
  function listPage<T>(rows: ListedUser[], limit: number, toItem: (row: ListedUser) => T) {
    const page = pageOf(rows, limit, (last) => positionCursor.encode([last.micros, last.id]))
    return { items: page.items.map(toItem), next_cursor: page.next_cursor }
  }
  const followPage = (rows: ListedUser[], limit: number) =>
    listPage(rows, limit, ({ id, username, display_name, at }) => ({ id, username, display_name, followed_at: at }))
  const relationPage = (rows: ListedUser[], limit: number) =>
    listPage(rows, limit, ({ id, username, display_name, at }) => ({ id, username, display_name, since: at }))

  return {
    async follow(followerId: string, followeeId: string) {
      await checkPair(followerId, followeeId, 'follow')
      await uow.run(async ({ graph }, events) => {
        await graph.lockPair(followerId, followeeId)
        const blockers = await graph.blockersBetween(followerId, followeeId)
        if (blockers.includes(followeeId)) throw errors.FLW_BLOCKED('This user has blocked you, so you cannot follow them.')
        if (blockers.includes(followerId)) throw errors.FLW_BLOCKED('You have blocked this user; unblock them to follow them.')
        const createdAt = await graph.follows.add(followerId, followeeId)
        if (createdAt) {
          events.publish(createEvent('follow.created', 1, followerId, {
            follower_id: followerId, followee_id: followeeId, created_at: createdAt.toISOString(),
          }))
        }
      })
      return { following: true }
    },

    async unfollow(followerId: string, followeeId: string) {
      await checkPair(followerId, followeeId, 'unfollow')
      await uow.run(async ({ graph }, events) => {
        await graph.lockPair(followerId, followeeId)
        const deletedAt = await graph.follows.remove(followerId, followeeId)
        if (deletedAt) {
          events.publish(createEvent('follow.deleted', 1, followerId, {
            follower_id: followerId, followee_id: followeeId, reason: 'unfollow', deleted_at: deletedAt.toISOString(),
          }))
        }
      })
      return { following: false }
    },

    /** Also ends the follows between the two, both ways; follow() refuses new ones while it lasts. */
    async block(blockerId: string, blockedId: string) {
      await checkPair(blockerId, blockedId, 'block')
      await uow.run(async ({ graph }, events) => {
        await graph.lockPair(blockerId, blockedId)
        const at = await graph.blocks.add(blockerId, blockedId)
        if (at) events.publish(createEvent('block.created', 1, blockerId, { blocker_id: blockerId, blocked_id: blockedId, at: at.toISOString() }))
        for (const [followerId, followeeId] of [[blockerId, blockedId], [blockedId, blockerId]] as const) {
          const deletedAt = await graph.follows.remove(followerId, followeeId)
          if (deletedAt) {
            events.publish(createEvent('follow.deleted', 1, followerId, {
              follower_id: followerId, followee_id: followeeId, reason: 'block', deleted_at: deletedAt.toISOString(),
            }))
          }
        }
      })
      return { blocking: true }
    },

    async unblock(blockerId: string, blockedId: string) {
      await checkPair(blockerId, blockedId, 'unblock')
      await uow.run(async ({ graph }, events) => {
        await graph.lockPair(blockerId, blockedId)
        const at = await graph.blocks.remove(blockerId, blockedId)
        if (at) events.publish(createEvent('block.deleted', 1, blockerId, { blocker_id: blockerId, blocked_id: blockedId, at: at.toISOString() }))
      })
      return { blocking: false }
    },

    async mute(muterId: string, mutedId: string) {
      await checkPair(muterId, mutedId, 'mute')
      await uow.run(async ({ graph }, events) => {
        const at = await graph.mutes.add(muterId, mutedId)
        if (at) events.publish(createEvent('mute.created', 1, muterId, { muter_id: muterId, muted_id: mutedId, at: at.toISOString() }))
      })
      return { muting: true }
    },

    async unmute(muterId: string, mutedId: string) {
      await checkPair(muterId, mutedId, 'unmute')
      await uow.run(async ({ graph }, events) => {
        const at = await graph.mutes.remove(muterId, mutedId)
        if (at) events.publish(createEvent('mute.deleted', 1, muterId, { muter_id: muterId, muted_id: mutedId, at: at.toISOString() }))
      })
      return { muting: false }
    },

    async followers(userId: string, query: ListQuery) {
      if (!(await users.exists(userId))) throw unknownUser(userId)
      return followPage(await graph.follows.listTo(userId, pageWindow(query)), query.limit)
    },

    async following(userId: string, query: ListQuery) {
      if (!(await users.exists(userId))) throw unknownUser(userId)
      return followPage(await graph.follows.listFrom(userId, pageWindow(query)), query.limit)
    },

    /** The viewer's relationship with another account; yourself is no relationship, nor a stranger. */
    async relationship(viewerId: string, otherId: string) {
      if (viewerId !== otherId && !(await users.exists(otherId))) throw unknownUser(otherId)
      return { id: otherId, ...(await graph.relationship(viewerId, otherId)) }
    },
    blocks: async (userId: string, query: ListQuery) => relationPage(await graph.blocks.listFrom(userId, pageWindow(query)), query.limit),
    mutes: async (userId: string, query: ListQuery) => relationPage(await graph.mutes.listFrom(userId, pageWindow(query)), query.limit),
  }
}
export type GraphService = ReturnType<typeof createGraphService>
