// `npm run seed -- [--users 1000]`: a demo world: accounts, a power-law follow graph with a few
// high-follower accounts, tweets (with hashtags and mentions) and likes; then signs in through the
// gateway as the demo reader, waits for a full first page of its home timeline, and prints that
// login. An operator's tool, run on the stack's host: the world is built straight against the
// services' own ports, where no rate limit applies (shared/src/http/rate-limit.plugin.ts), so it
// needs none of the gateway's or the services' limits raised; only the sign-in goes through the
// gateway (the stack's, or GATEWAY_URL: one in front of these services). Every run adds a new
// world with new names.
import fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { GatewayNotReady, prepareGateway } from '../load-tests/local-gateway.ts'
import { ApiError, createClient, mapLimit, runId, type Account, type ServiceName } from './bench/client.ts'

const PASSWORD = 'starling-demo'
const FIRST = ['ada', 'alan', 'grace', 'linus', 'margaret', 'ken', 'barbara', 'dennis', 'frances', 'edsger', 'radia', 'john', 'sophie', 'tim', 'katherine', 'guido']
const WORDS = ['kafka', 'streams', 'coffee', 'garden', 'weekend', 'music', 'river', 'sunset', 'bicycle', 'library', 'pizza', 'rain', 'deploy', 'latency', 'compiler', 'chess']
const TAGS = ['starling', 'devlife', 'photography', 'music', 'news', 'running', 'books', 'kafka']
/** The timeline service's default; the stack may run with another (read from the running service). */
const DEFAULT_CELEBRITY_THRESHOLD = 10_000
/** About 2.5 min on 2 cores: a third of it hashing passwords (an argon2id to sign up, one to log in), a third following. */
const DEFAULT_USERS = 1000
/** The demo reader follows this many of the most followed, who post the most. */
const DEMO_FOLLOWS_TOP = 10
/** A full first page of the home timeline, as the web client shows it. */
const FIRST_PAGE = 20
const FIRST_PAGE_AUTHORS = 3
const TIMELINE_DEADLINE_MS = 60_000

const log = (line: string) => process.stderr.write(`seed: ${line}\n`)
const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!

function option(name: string, fallback: number) {
  const args = process.argv.slice(2)
  const unknown = args.filter((arg, i) => arg !== name && args[i - 1] !== name)
  if (unknown.length > 0) throw new GatewayNotReady(`unknown argument ${unknown.join(' ')}: the only option is ${name} <count>`)
  const index = process.argv.indexOf(name)
  if (index < 0) return fallback
  const value = Number(process.argv[index + 1])
  if (!Number.isInteger(value) || value < 20 || value > 20_000) throw new GatewayNotReady(`${name} takes a whole number from 20 to 20000`)
  return value
}

/** Samples ranks 0..n-1 with probability ∝ 1/(rank+1)^exponent: a few accounts get most follows. */
function zipf(n: number, exponent: number) {
  const cumulative: number[] = []
  let total = 0
  for (let rank = 0; rank < n; rank++) cumulative.push(total += 1 / (rank + 1) ** exponent)
  return () => {
    const target = Math.random() * total
    let low = 0
    let high = n - 1
    while (low < high) {
      const mid = (low + high) >> 1
      if (cumulative[mid]! < target) low = mid + 1
      else high = mid
    }
    return low
  }
}

/** How many accounts a user follows: log-normal, median 6 (mean about 9), between 2 and 150. */
const outDegree = () => Math.max(2, Math.min(150, Math.round(Math.exp(Math.log(6) + 0.9 * gaussian()))))
function gaussian() {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random())
}

function shuffle<T>(list: T[]) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!]
  }
  return list
}

function tweetText(mentionable: Account[]) {
  const words = Array.from({ length: 4 + Math.floor(Math.random() * 8) }, () => pick(WORDS)).join(' ')
  const tag = Math.random() < 0.6 ? ` #${pick(TAGS)}` : ''
  const mention = Math.random() < 0.15 ? ` @${pick(mentionable).username}` : ''
  return `${words[0]!.toUpperCase()}${words.slice(1)}${tag}${mention}`
}

/** The threshold the running timeline service was started with (it reads its environment once). */
async function celebrityThreshold() {
  const { runningPid } = await import('./stack/process.ts')
  const pid = runningPid('service-timeline')
  if (!pid) return undefined
  try {
    const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
    const value = environ.find((line) => line.startsWith('TIMELINE_CELEBRITY_THRESHOLD='))?.split('=')[1]
    return value ? Number(value) : DEFAULT_CELEBRITY_THRESHOLD
  } catch {
    return undefined
  }
}

/** Each service's own address on this host, checked to answer. */
async function serviceUrls(): Promise<Record<ServiceName, string>> {
  const { services } = await import('./stack/components/services.ts')
  const names: ServiceName[] = ['user', 'tweet', 'follower', 'timeline']
  const urls = Object.fromEntries(names.map((name) => [name, `http://127.0.0.1:${services.find((s) => s.name === name)!.port}`])) as Record<ServiceName, string>
  for (const [name, url] of Object.entries(urls)) {
    const ready = await fetch(`${url}/readyz`).then((response) => response.ok, () => false)
    if (!ready) throw new GatewayNotReady(`the ${name} service does not answer at ${url}: run the seed on the stack's host, with the stack up (\`npm start\`)`)
  }
  return urls
}

/** Signs in through the gateway, as the browser will, and waits for a full first page of the home timeline. */
async function signInThroughGateway(gateway: string, username: string) {
  const api = createClient(gateway)
  const { access_token, user } = await api.login(username, PASSWORD).catch((error: unknown) => {
    throw error instanceof ApiError && error.status === 401
      ? new GatewayNotReady(`${gateway} does not know ${username}: GATEWAY_URL must be a gateway in front of this host's services`)
      : error
  })
  const reader = { id: user.id, username, password: PASSWORD, token: access_token }
  const deadline = Date.now() + TIMELINE_DEADLINE_MS
  for (;;) {
    const { items } = await api.timeline(reader, FIRST_PAGE)
    const authors = new Set(items.map((item) => item.author.id))
    if (items.length >= FIRST_PAGE && authors.size >= FIRST_PAGE_AUTHORS) return { tweets: items.length, authors: authors.size }
    if (Date.now() > deadline) {
      throw new Error(`${username}'s home timeline through ${gateway} has ${items.length} tweets from ${authors.size} authors after ${TIMELINE_DEADLINE_MS / 1000} s; `
        + `expected ${FIRST_PAGE} from at least ${FIRST_PAGE_AUTHORS}: are the timeline workers running (npm run stack -- status)?`)
    }
    await sleep(500)
  }
}

async function timed<T>(label: string, work: () => Promise<T>) {
  const started = Date.now()
  const result = await work()
  log(`${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  return result
}

async function main() {
  const users = option('--users', DEFAULT_USERS)
  // The gateway to sign in through, checked to be up when it is the stack's; none of its limits matter here.
  const gateway = await prepareGateway({ raise: false, needs: {}, log })
  const api = createClient(await serviceUrls())
  const run = runId()
  const threshold = await celebrityThreshold()
  log(`building a world of ${users} accounts straight against the services' own ports (names start with ${run}_)`)
  const started = Date.now()

  // Sign-ups are argon2 hashes (two at a time in the user service); a few in flight keep it busy.
  const accounts = await timed(`${users} accounts signed up and logged in`, () => mapLimit(Array.from({ length: users }, (_, i) => i), 6, (i) => {
    const star = i < 5
    const name = star ? `${run}_star${i + 1}` : `${run}_${pick(FIRST)}${i}`
    const display = star ? `Starling Star ${i + 1}` : `${name.split('_')[1]!.replace(/\d+$/, '')} ${i}`
    return api.signUp(name, PASSWORD, display)
  }))
  const demo = await api.signUp(`${run}_demo`, PASSWORD, 'Demo Reader')

  // Popularity follows account order: account 0 is the most followed.
  const rank = zipf(users, 1.1)
  const followers = new Map<number, Set<number>>()
  const follows: [number, number][] = []
  accounts.forEach((_, who) => {
    const wanted = outDegree()
    const chosen = new Set<number>()
    for (let tries = 0; chosen.size < wanted && tries < wanted * 5; tries++) {
      const whom = rank()
      if (whom !== who) chosen.add(whom)
    }
    for (const whom of chosen) {
      follows.push([who, whom])
      if (!followers.has(whom)) followers.set(whom, new Set())
      followers.get(whom)!.add(who)
    }
  })
  await timed(`${follows.length} follows`, () => mapLimit(follows, 16, ([who, whom]) => api.follow(accounts[who]!, accounts[whom]!.id)))
  // The demo reader follows the most followed (who post the most) and some at random.
  const demoFollows = [...new Set([...Array.from({ length: DEMO_FOLLOWS_TOP }, (_, i) => i), ...Array.from({ length: 40 }, () => Math.floor(Math.random() * users))])]
  await mapLimit(demoFollows, 8, (whom) => api.follow(demo, accounts[whom]!.id))

  // The most followed post the most: 12 tweets for the top 20, then 1-4; in random order, so that
  // any page of a timeline mixes authors.
  const posts = shuffle(accounts.flatMap((author, i) => Array.from({ length: i < 20 ? 12 : 1 + Math.floor(Math.random() * 4) }, () => author)))
  const mentionable = accounts.slice(0, 50)
  const tweets = await timed(`${posts.length} tweets`, () => mapLimit(posts, 16, async (author) => ({ author, id: (await api.post(author, tweetText(mentionable))).id })))
  const byAuthor = new Map<string, string[]>()
  for (const tweet of tweets) byAuthor.set(tweet.author.id, [...(byAuthor.get(tweet.author.id) ?? []), tweet.id])

  // Likes go to tweets of accounts one follows.
  const likes: [Account, string][] = []
  for (const [who, whom] of follows) {
    if (Math.random() < 0.25) likes.push([accounts[who]!, pick(byAuthor.get(accounts[whom]!.id)!)])
  }
  await timed(`${likes.length} likes`, () => mapLimit(likes, 16, ([who, tweetId]) => api.like(who, tweetId)))

  const counts = [...followers.entries()].map(([i, set]) => ({ account: accounts[i]!, followers: set.size })).sort((a, b) => b.followers - a.followers)
  const top = counts.slice(0, 5).map((c) => `${c.account.username} (${c.followers})`).join(', ')
  log(`most followed: ${top}`)
  if (threshold === undefined) log('TIMELINE_CELEBRITY_THRESHOLD of the timeline service: unknown (not the local stack)')
  else {
    const above = counts.filter((c) => c.followers >= threshold).length
    log(above > 0
      ? `${above} accounts have at least TIMELINE_CELEBRITY_THRESHOLD=${threshold} followers: their tweets are merged into timelines at read time`
      : `no account reaches TIMELINE_CELEBRITY_THRESHOLD=${threshold} (the most followed has ${counts[0]?.followers ?? 0}): every tweet is fanned out; `
        + 'restart the services with e.g. TIMELINE_CELEBRITY_THRESHOLD=200 npm run stack -- restart-services to see the read-time merge')
  }
  const home = await timed(`signed in as ${demo.username} through ${gateway}`, () => signInThroughGateway(gateway, demo.username))
  log(`its home timeline's first page: ${home.tweets} tweets from ${home.authors} authors; the world took ${((Date.now() - started) / 1000).toFixed(0)} s`)
  process.stdout.write(`\nDemo world ready. Sign in at ${gateway} as\n  username: ${demo.username}\n  password: ${PASSWORD}\n`
    + `${demo.username} follows ${demoFollows.length} accounts, the ${DEMO_FOLLOWS_TOP} most followed among them; every account of this world has that password `
    + `(the most followed is ${accounts[0]!.username}).\n`
    + `  curl -s ${gateway}/users/login -H 'content-type: application/json' -d '{"username":"${demo.username}","password":"${PASSWORD}"}'\n`)
}

main().catch((error: unknown) => {
  log(error instanceof GatewayNotReady ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error))
  process.exitCode = 1
})
