import type { Relation, ReplicaRepository, ReplicaUser } from '../replicas/replica.repository.ts'

/**
 * The replicas' tables in memory, for unit tests of a service that keeps copies of accounts,
 * blocks or mutes, with the rules the SQL keeps: an upsert replaces only an older version, an
 * insert never replaces, usernames match in any case. `users` and `relations` are the tables.
 */
export function createMemoryReplicaRepository(seed: { users?: ReplicaUser[] } = {}): ReplicaRepository & {
  tables: { users: Map<string, ReplicaUser>; relations: Set<string> }
} {
  const users = new Map((seed.users ?? []).map((user) => [user.id, user]))
  const relations = new Set<string>()
  const edge = (relation: Relation, actorId: string, subjectId: string) => `${relation}:${actorId}>${subjectId}`
  return {
    tables: { users, relations },
    users: {
      async upsert(user) {
        const row = users.get(user.id)
        if (!row || Date.parse(row.updated_at) < Date.parse(user.updated_at)) users.set(user.id, user)
      },
      async insertIfMissing(user) {
        if (!users.has(user.id)) users.set(user.id, user)
      },
      get: async (id) => users.get(id),
      async findByUsernames(usernames) {
        const wanted = new Set(usernames.map((name) => name.toLowerCase()))
        return [...users.values()].filter((user) => wanted.has(user.username.toLowerCase()))
      },
    },
    relations: {
      async set(relation, actorId, subjectId, present) {
        if (present) relations.add(edge(relation, actorId, subjectId))
        else relations.delete(edge(relation, actorId, subjectId))
      },
      blockedEitherWay: async (a, b) => relations.has(edge('blocks', a, b)) || relations.has(edge('blocks', b, a)),
    },
  }
}
