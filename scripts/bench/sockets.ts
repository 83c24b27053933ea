// The benchmark's WebSocket figures (npm run bench): how many idle authenticated sockets one
// notification process holds and what each costs in RSS, and like → socket delivery with many
// sockets open through the gateway.
import { setTimeout as sleep } from 'node:timers/promises'
import WebSocket from 'ws'
import { mapLimit, type Account, type Client } from './client.ts'

export interface HeldSockets {
  sockets: WebSocket[]
  /** Sockets that got `ready` after their auth, by account id. */
  byAccount: Map<string, WebSocket[]>
  ready: number
  failed: number
  /** Why the first few failed. */
  reasons: string[]
}

/** Opens `count` sockets to `url`, round robin over `accounts`, each authenticated; `width` handshakes at a time. */
export async function openSockets(url: string, accounts: Account[], count: number, width = 200): Promise<HeldSockets> {
  const held: HeldSockets = { sockets: [], byAccount: new Map(), ready: 0, failed: 0, reasons: [] }
  await mapLimit(Array.from({ length: count }, (_, i) => accounts[i % accounts.length]!), width, (account) => new Promise<void>((resolve) => {
    const socket = new WebSocket(url)
    const fail = (reason: string) => {
      held.failed++
      if (held.reasons.length < 5) held.reasons.push(reason)
      socket.terminate()
      resolve()
    }
    const timer = setTimeout(() => fail('no ready within 30 s'), 30_000)
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token: account.token })))
    socket.on('error', (error) => { clearTimeout(timer); fail(error.message) })
    socket.on('unexpected-response', (_, response) => { clearTimeout(timer); fail(`HTTP ${response.statusCode}`) })
    socket.once('message', (data) => {
      clearTimeout(timer)
      const message = JSON.parse(String(data)) as { type?: string }
      if (message.type !== 'ready') return fail(`first message ${String(data).slice(0, 80)}`)
      held.ready++
      held.sockets.push(socket)
      held.byAccount.set(account.id, [...(held.byAccount.get(account.id) ?? []), socket])
      resolve()
    })
  }))
  return held
}

export async function closeSockets(held: HeldSockets) {
  for (const socket of held.sockets) socket.terminate()
  await sleep(1000)
}

/**
 * Like → the author's socket: each probe is a different liker liking a tweet of an author who has
 * sockets open; the time from sending the like to the first of the author's sockets hearing it.
 */
export async function likeDelivery(api: Client, held: HeldSockets, authors: Account[], likers: Account[], probes: number) {
  const took: number[] = []
  let missed = 0
  const withSockets = authors.filter((a) => (held.byAccount.get(a.id)?.length ?? 0) > 0)
  for (let i = 0; i < Math.min(probes, likers.length) && withSockets.length > 0; i++) {
    const author = withSockets[i % withSockets.length]!
    const liker = likers[i]!
    const tweet = await api.post(author, `liked with ${held.ready} sockets open`)
    const sockets = held.byAccount.get(author.id)!
    const heard = new Promise<number>((resolve) => {
      const timer = setTimeout(() => resolve(NaN), 10_000)
      const listener = (data: WebSocket.RawData) => {
        const message = JSON.parse(String(data)) as { type?: string; data?: { type?: string; tweet_id?: string } }
        if (message.type === 'notification' && message.data?.type === 'like' && message.data.tweet_id === tweet.id) {
          clearTimeout(timer)
          for (const s of sockets) s.off('message', listener)
          resolve(performance.now())
        }
      }
      for (const s of sockets) s.on('message', listener)
    })
    const started = performance.now()
    await api.like(liker, tweet.id)
    const at = await heard
    if (Number.isNaN(at)) missed++
    else took.push(at - started)
  }
  took.sort((a, b) => a - b)
  const at = (q: number) => took[Math.min(took.length - 1, Math.floor(q * took.length))]
  return { probes: took.length + missed, missed, p50: at(0.5), p99: at(0.99) }
}
