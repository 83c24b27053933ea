// The asynchronous paths under a sustained write rate (npm run bench): ordinary authors post
// WRITE_RATE tweets a second while a few users measure, from the client's side,
//   - created → visible in a follower's home timeline, for ordinary and high-follower authors,
//   - created → found by search,
//   - like → the notification on the liked author's WebSocket.
import http from 'k6/http'
import { check } from 'k6'
import { SharedArray } from 'k6/data'
import { Counter, Rate, Trend } from 'k6/metrics'
import { bodyOf, likeAndAwaitNotification, pollUntil, postTweet, tweetText } from '../lib.js'

const BASE_URL = (__ENV.GATEWAY_URL || '').replace(/\/+$/, '')
const DURATION = __ENV.DURATION || '40s'
const world = JSON.parse(open(__ENV.WORLD))
const ordinaryAuthors = new SharedArray('ordinaryAuthors', () => world.ordinaryAuthors)
// [{author, follower}] pairs: the follower polls its timeline for the author's new tweet.
const ordinaryPairs = new SharedArray('ordinaryPairs', () => world.ordinaryPairs)
const celebrityPairs = new SharedArray('celebrityPairs', () => world.celebrityPairs)

// Tweets this run created: the bench compares them with what the fanout histogram observed.
const created = new Counter('tweets_created')
const post = (account, text) => {
  const tweet = postTweet(account, text)
  if (tweet) created.add(1)
  return tweet
}
const visible = { ordinary: new Trend('visible_ordinary', true), celebrity: new Trend('visible_celebrity', true) }
const visibleInTime = { ordinary: new Rate('visible_in_time_ordinary'), celebrity: new Rate('visible_in_time_celebrity') }
const searchable = new Trend('searchable', true)
// Each search request of the freshness polls: part of what a found tweet waited for.
const searchRequest = new Trend('search_request', true)
const searchPost = new Trend('search_post', true)
const searchableInTime = new Rate('searchable_in_time')

export const options = {
  scenarios: {
    writes: { executor: 'constant-arrival-rate', exec: 'write', rate: Number(__ENV.WRITE_RATE || 50), timeUnit: '1s', duration: DURATION, preAllocatedVUs: 20, maxVUs: 100 },
    visibility: { executor: 'constant-vus', exec: 'visibility', vus: 2, duration: DURATION },
    freshness: { executor: 'constant-vus', exec: 'freshness', vus: 3, duration: DURATION },
    notification: { executor: 'constant-vus', exec: 'notification', vus: 2, duration: DURATION },
  },
  summaryTrendStats: ['avg', 'med', 'p(99)', 'max', 'count'],
}

const pickOf = (list) => list[Math.floor(Math.random() * list.length)]

// Accounts are copied out of the shared arrays: a session that logs in again updates its copy.
export function write() {
  post({ ...pickOf(ordinaryAuthors) }, tweetText())
}

/** Even iterations an ordinary author, odd ones a high-follower author: post, then poll a follower's timeline. */
export function visibility() {
  const kind = __ITER % 2 === 0 ? 'ordinary' : 'celebrity'
  const { author, follower } = pickOf(kind === 'ordinary' ? ordinaryPairs : celebrityPairs)
  const started = Date.now()
  const tweet = post({ ...author }, tweetText())
  if (!tweet) return
  const took = pollUntil(() => {
    const res = http.get(`${BASE_URL}/timelines/${follower.id}?limit=20`, { headers: { authorization: `Bearer ${follower.token}` }, tags: { endpoint: 'poll' } })
    return res.status === 200 && (bodyOf(res)?.items ?? []).some((item) => item.id === tweet.id)
  }, { timeoutMs: 5000, everyMs: 20 })
  visibleInTime[kind].add(took !== null)
  if (took !== null) visible[kind].add(Date.now() - started)
}

/** Posts a tweet with a word nobody else uses, then searches for it until it is found. */
export function freshness() {
  const word = `fresh${Math.random().toString(36).slice(2, 12)}`
  const started = Date.now()
  const tweet = post({ ...pickOf(ordinaryAuthors) }, `benchmark ${word}`)
  if (!tweet) return
  searchPost.add(Date.now() - started)
  const took = pollUntil(() => {
    const res = http.get(`${BASE_URL}/search/?type=tweets&q=${word}`, { tags: { endpoint: 'poll' } })
    searchRequest.add(res.timings.duration)
    return check(res, { 'search: 200': (r) => r.status === 200 }) && (bodyOf(res)?.items ?? []).length > 0
  }, { timeoutMs: 10_000, everyMs: 50 })
  searchableInTime.add(took !== null)
  if (took !== null) searchable.add(Date.now() - started)
}

/** An ordinary author holds a WebSocket; a follower likes the author's new tweet. */
export function notification() {
  const { author, follower } = pickOf(ordinaryPairs)
  const liked = { ...author }
  const tweet = post(liked, tweetText())
  if (tweet) likeAndAwaitNotification(liked, { ...follower }, tweet.id, { timeoutMs: 10_000 })
}
