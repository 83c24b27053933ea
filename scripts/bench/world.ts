// The benchmark's world, built through the gateway: ordinary authors (fewer followers than the
// celebrity threshold, so their tweets are fanned out), a few high-follower authors (above it,
// merged at read time), readers who follow only ordinary authors, and readers who follow both.
import { mapLimit, runId, type Account, type Client } from './client.ts'

/** Ordinary authors each reader follows. */
const FOLLOWS_PER_READER = 10
const CELEBRITIES = 3
const ORDINARY_READERS = 60

export interface BenchAccount extends Account {
  /** When the token was issued (ms): the k6 scripts' sessions log in again 10 minutes after. */
  tokenAt: number
}

export interface World {
  ordinaryAuthors: BenchAccount[]
  celebrities: BenchAccount[]
  ordinaryReaders: BenchAccount[]
  celebrityReaders: BenchAccount[]
  /** An author with one of its followers, to watch the author's tweets arrive. */
  ordinaryPairs: { author: BenchAccount; follower: BenchAccount }[]
  celebrityPairs: { author: BenchAccount; follower: BenchAccount }[]
}

export async function buildWorld(api: Client, threshold: number, log: (line: string) => void): Promise<World> {
  // Enough readers of the high-follower authors to be well above the threshold, and enough
  // ordinary authors that each keeps below 70% of it.
  const celebrityReaderCount = Math.max(80, Math.ceil(threshold * 1.6))
  const readerCount = ORDINARY_READERS + celebrityReaderCount
  const authorCount = Math.max(FOLLOWS_PER_READER * 2, Math.ceil((readerCount * FOLLOWS_PER_READER) / (threshold * 0.7)))
  const run = runId()
  const password = `bench-${run}-password`
  const signUp = async (name: string) => ({ ...(await api.signUp(name, password)), tokenAt: Date.now() })
  const started = Date.now()
  const names = [
    ...Array.from({ length: authorCount }, (_, i) => `b${run}_author${i}`),
    ...Array.from({ length: CELEBRITIES }, (_, i) => `b${run}_star${i}`),
    ...Array.from({ length: readerCount }, (_, i) => `b${run}_reader${i}`),
  ]
  const accounts = await mapLimit(names, 6, signUp)
  const ordinaryAuthors = accounts.slice(0, authorCount)
  const celebrities = accounts.slice(authorCount, authorCount + CELEBRITIES)
  const readers = accounts.slice(authorCount + CELEBRITIES)
  const ordinaryReaders = readers.slice(0, ORDINARY_READERS)
  const celebrityReaders = readers.slice(ORDINARY_READERS)
  log(`${accounts.length} accounts (${authorCount} ordinary authors, ${CELEBRITIES} high-follower, ${readerCount} readers) in ${((Date.now() - started) / 1000).toFixed(0)} s`)

  // Round robin, so every ordinary author gets the same number of followers.
  const follows: [BenchAccount, BenchAccount][] = []
  const ordinaryFollower = new Map<BenchAccount, BenchAccount>()
  readers.forEach((reader, i) => {
    for (let k = 0; k < FOLLOWS_PER_READER; k++) {
      const author = ordinaryAuthors[(i * FOLLOWS_PER_READER + k) % authorCount]!
      follows.push([reader, author])
      if (i < ORDINARY_READERS && !ordinaryFollower.has(author)) ordinaryFollower.set(author, reader)
    }
  })
  for (const reader of celebrityReaders) for (const star of celebrities) follows.push([reader, star])
  await mapLimit(follows, 16, ([who, whom]) => api.follow(who, whom.id))
  const posts = [...ordinaryAuthors.flatMap((a) => Array(5).fill(a)), ...celebrities.flatMap((a) => Array(10).fill(a))] as BenchAccount[]
  await mapLimit(posts, 16, (author) => api.post(author, `hello from ${author.username} #bench`))
  log(`${follows.length} follows and ${posts.length} tweets; ordinary authors have ${Math.round(readerCount * FOLLOWS_PER_READER / authorCount)} followers, high-follower ones ${celebrityReaderCount} (threshold ${threshold})`)

  return {
    ordinaryAuthors, celebrities, ordinaryReaders, celebrityReaders,
    ordinaryPairs: [...ordinaryFollower].slice(0, 10).map(([author, follower]) => ({ author, follower })),
    celebrityPairs: celebrities.map((author, i) => ({ author, follower: celebrityReaders[i]! })),
  }
}

/** Every reader reads once, which makes them active readers that fanout writes to. */
export async function activate(api: Client, world: World) {
  await mapLimit([...world.ordinaryReaders, ...world.celebrityReaders], 16, (reader) => api.timeline(reader))
}
