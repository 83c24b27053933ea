// Starling's user journeys under load: `k6 run -e PROFILE=smoke|load|stress|spike|soak starling.js`
// (or `npm run load -- <profile>`, which builds k6 and points it at the local gateway).
import exec from 'k6/execution'
import { sleep } from 'k6'
import {
  createWorld, follow, getTweet, homeTimeline, journey, like, likeAndAwaitNotification, login, pick, postTweet,
  randomTag, randomWord, register, searchFor,
} from './lib.js'
import { profile } from './profiles.js'

const PROFILE = __ENV.PROFILE || 'smoke'
const chosen = profile(PROFILE)

export const options = {
  scenarios: chosen.scenarios,
  thresholds: chosen.thresholds,
  setupTimeout: '300s',
  summaryTrendStats: ['avg', 'med', 'p(95)', 'p(99)', 'max'],
  tags: { profile: PROFILE },
}

export function setup() {
  return { users: createWorld(chosen.world) }
}

// Each VU keeps its own copies of the accounts it uses, so a token it renews stays renewed.
const accounts = {}
function account(data, index) {
  const user = data.users[index % data.users.length]
  accounts[user.id] ??= { ...user }
  return accounts[user.id]
}
const me = (data) => account(data, exec.vu.idInTest - 1)
const someoneElse = (data) => account(data, exec.vu.idInTest + Math.floor(Math.random() * (data.users.length - 1)))

/** A new person signs up, logs in and looks at their (empty) timeline. */
export function signup() {
  journey(() => {
    const fresh = register('k6new')
    return Boolean(fresh && login(fresh) && homeTimeline(fresh))
  })
}

/** Follows someone, posts, and likes something from the home timeline. */
export function social(data) {
  journey(() => {
    const self = me(data)
    const other = someoneElse(data)
    if (!follow(self, other.id) || !postTweet(self)) return false
    const page = homeTimeline(self)
    if (!page) return false
    const liked = page.items.find((item) => item.author.id !== self.id)
    return liked ? like(self, liked.id) : true
  })
  sleep(1 + Math.random())
}

/** Reads the home timeline, the next page, and opens one tweet. */
export function reader(data) {
  journey(() => {
    const self = me(data)
    const first = homeTimeline(self)
    if (!first) return false
    if (first.next_cursor && !homeTimeline(self, { cursor: first.next_cursor })) return false
    return first.items.length === 0 || getTweet(self, pick(first.items).id)
  })
  sleep(0.5 + Math.random())
}

/** Searches tweets by a word, accounts by a name prefix and hashtags by their start. */
export function search(data) {
  journey(() => {
    const self = me(data)
    return Boolean(searchFor(self, randomWord(), 'tweets') && searchFor(self, pick(data.users).username.slice(0, 6), 'users') && searchFor(self, randomTag().slice(0, 2), 'hashtags'))
  })
  sleep(1 + Math.random())
}

/** Holds a WebSocket while someone likes your new tweet; the notification must arrive on it. */
export function realtime(data) {
  let tweet = null
  journey(() => {
    tweet = postTweet(me(data))
    return Boolean(tweet)
  })
  if (tweet) likeAndAwaitNotification(me(data), someoneElse(data), tweet.id, { holdMs: chosen.holdMs })
}
