import { describe, expect, it } from 'vitest'
import { isTransientError } from './transient.ts'

describe('isTransientError', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['an Elasticsearch connection error', Object.assign(new Error('x'), { name: 'ConnectionError' })],
    ['an Elasticsearch 503', Object.assign(new Error('x'), { meta: { statusCode: 503 } })],
    ['a Postgres shutdown', Object.assign(new Error('x'), { code: '57P01' })],
    ['a pooled Postgres connection the server ended', new Error('Connection terminated unexpectedly')],
    ['no Postgres connection in time', new Error('timeout exceeded when trying to connect')],
    ['a query on a Postgres connection that broke mid-transaction', new Error('Client has encountered a connection error and is not queryable')],
    ['a Postgres query that got no answer', new Error('Query read timeout')],
    ['a Postgres statement past statement_timeout', Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })],
    ['a Postgres deadlock', Object.assign(new Error('deadlock detected'), { code: '40P01' })],
    ['a Postgres serialization failure', Object.assign(new Error('x'), { code: '40001' })],
    ['a Redis command that got no answer within commandTimeout', new Error('Command timed out')],
    ['a Redis Cluster without a slot map yet', new Error("Cluster isn't ready and enableOfflineQueue options is false")],
    ['a Redis Cluster node mid-failover', new Error('CLUSTERDOWN The cluster is down')],
    ['a Redis Cluster slot being moved', new Error('TRYAGAIN Multiple keys request during rehashing of slot')],
    ['a retriable Kafka error', Object.assign(new Error('x'), { retriable: true })],
    ['one wrapped in a cause', new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ETIMEDOUT' }) })],
  ])('treats %s as transient', (_case, error) => {
    expect(isTransientError(error)).toBe(true)
  })

  it.each([
    ['a TypeError', new TypeError('cannot read properties of undefined')],
    ['a unique violation', Object.assign(new Error('x'), { code: '23505' })],
    ['an Elasticsearch 400', Object.assign(new Error('x'), { meta: { statusCode: 400 } })],
    ['a string', 'oops'],
  ])('treats %s as permanent', (_case, error) => {
    expect(isTransientError(error)).toBe(false)
  })
})
