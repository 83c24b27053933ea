import { waitFor } from '@starling/shared/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { closeSockets, liveAs, type Frame, type LiveClient } from '../../services/notification/test/fixtures/live.ts'
import { newAccount, type Account } from '../setup/accounts.ts'
import { gateway } from '../setup/http.ts'
import { follow, post, untilTimeline } from '../setup/social.ts'

afterEach(closeSockets)

// A new tweet reaches the sockets (through nginx) of its author's followers from the tweet
// service, through Kafka, the notification worker and Redis, whether the timeline service fans
// the author out or merges them at read time.

const isTweet = (id: string) => (f: Frame) => f.type === 'tweet' && f.data.id === id
const tweetIds = (client: LiveClient) => client.frames.filter((f) => f.type === 'tweet').map((f) => f.data.id as string)

/** Waits until `recipient`'s inbox shows a follow from `fan`: the graph events `fan` made before it were applied too (one partition per acting user). */
async function applied(fan: Account, recipient: Account) {
  await waitFor(async () => {
    const { body } = await gateway(`/notifications/${recipient.id}?types=follow`, { token: recipient.token })
    return (body.items as { actor: { id: string } }[] | undefined)?.some((item) => item.actor.id === fan.id)
  }, { what: `the follow of ${fan.username} applied`, timeoutMs: 20_000 })
}

async function following(fan: Account, author: Account) {
  await follow(fan, author)
  await applied(fan, author)
}

describe('live home-timeline tweets over /ws', () => {
  it('reach a follower\'s socket from an ordinary author and from a high-follower one', async () => {
    const [reader, author, celebrity] = await Promise.all([newAccount('reader'), newAccount('author'), newAccount('celeb')])
    const fans = await Promise.all([1, 2, 3, 4].map(() => newAccount('fan')))
    // Five followers make a high-follower author under the test settings (TIMELINE_CELEBRITY_THRESHOLD=5): merged at read time, not fanned out.
    await Promise.all([following(reader, author), following(reader, celebrity), ...fans.map((fan) => following(fan, celebrity))])
    const live = await liveAs(reader)

    const ordinary = await post(author, 'an ordinary tweet')
    const famous = await post(celebrity, 'a tweet from someone many follow')
    const frames = await waitFor(() => {
      const found = [live.frames.find(isTweet(ordinary.id)), live.frames.find(isTweet(famous.id))]
      return found.every(Boolean) ? found as Frame[] : undefined
    }, { what: 'both tweets on the reader\'s socket', timeoutMs: 20_000 })
    expect(frames.map((f) => f.data.author.id)).toEqual([author.id, celebrity.id])
    expect(frames[1]!.data).toMatchObject({ text: 'a tweet from someone many follow', author: { username: celebrity.username }, like_count: 0 })
    // And the home timeline agrees: the same tweets, the high-follower one merged at read time.
    await untilTimeline(reader, (ids) => ids.includes(ordinary.id) && ids.includes(famous.id), 'both tweets in the home timeline')
  })

  it('never bring a muted author\'s tweet, while a later tweet of someone else does arrive', async () => {
    const [reader, friend, muted, witness] = await Promise.all([newAccount('reader'), newAccount('friend'), newAccount('muted'), newAccount('witness')])
    await Promise.all([following(reader, friend), following(reader, muted)])
    expect((await gateway('/mute/', { token: reader.token, body: { user_id: muted.id } })).status).toBe(200)
    // The reader's next graph change shares the mute's partition: once it is applied, so is the mute.
    await following(reader, witness)
    const live = await liveAs(reader)

    const hidden = await post(muted, 'you will not hear this')
    // A reply in the muted author's thread: the same partition of the tweets topic, so handled after it.
    const later = await post(friend, 'but you will hear this', { reply_to_id: hidden.id })
    await live.next(isTweet(later.id), 'the friend\'s later tweet')
    expect(tweetIds(live)).toEqual([later.id])
  })

  it('announce a deletion, and replay on reconnect with last_event_id the tweets posted while the socket was closed', async () => {
    const [reader, author] = await Promise.all([newAccount('reader'), newAccount('author')])
    await following(reader, author)
    const [live, authorLive] = await Promise.all([liveAs(reader), liveAs(author)])
    const tweet = await post(author, 'soon deleted')
    await live.next(isTweet(tweet.id), 'the tweet')
    expect((await gateway(`/tweets/${tweet.id}`, { method: 'DELETE', token: author.token })).status).toBe(204)
    const deleted = await live.next((f) => f.type === 'tweet_deleted', 'the deletion')
    expect(deleted.data).toEqual({ tweet_id: tweet.id })

    live.socket.close()
    await live.closed()
    // Within the presence grace after the close, tweets still go to the reader's replay stream.
    const missed = await post(author, 'posted while the reader was away')
    // The author's reply shares the thread's partition: once the author's own socket has it, the
    // worker has pushed the tweet before it to everyone.
    const reply = await post(author, 'and a follow-up', { reply_to_id: missed.id })
    await authorLive.next(isTweet(reply.id), 'the follow-up on the author\'s own socket')

    const back = await liveAs(reader, { lastEventId: deleted.id! })
    expect(back.frames[0]).toMatchObject({ type: 'ready', last_event_id: deleted.id, missed_events: false })
    await back.next(isTweet(reply.id), 'the replay')
    expect(back.frames.slice(1).map((f) => [f.type, f.data.id])).toEqual([['tweet', missed.id], ['tweet', reply.id]])
  })
})
