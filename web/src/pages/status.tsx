import { useEffect, useState } from 'preact/hooks'
import { messageOf, request, type Page, type Tweet } from '../api.ts'
import { Compose } from '../components/compose.tsx'
import { usePaged } from '../components/paged.ts'
import { TweetCard } from '../components/tweet-card.tsx'
import { Empty, ErrorNote, MoreButton, PageTitle } from '../components/ui.tsx'
import { accessToken, me } from '../session.ts'

const get = async <T,>(path: string) => request<T>('GET', path, { token: await accessToken() })

/** A tweet with its replies, oldest first, and a reply box. */
export function Status({ id }: { id: string }) {
  const [tweet, setTweet] = useState<Tweet | null>(null)
  const [error, setError] = useState<string | null>(null)
  const replies = usePaged((cursor) => get<Page<Tweet>>(`/tweets/${id}/replies?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), id)
  useEffect(() => {
    setTweet(null)
    setError(null)
    get<Tweet>(`/tweets/${id}`).then(setTweet, (e) => setError(messageOf(e)))
  }, [id])

  return (
    <section>
      <PageTitle>Tweet</PageTitle>
      <ErrorNote error={error} />
      {tweet && <TweetCard tweet={tweet} onDeleted={() => setError('This tweet was deleted.')} />}
      {tweet && me.value && <Compose replyTo={tweet} onPosted={(reply) => replies.setItems((old) => [...old, reply])} />}
      <h2>Replies</h2>
      <div class="feed">{replies.items.map((reply) => <TweetCard key={reply.id} tweet={reply} onDeleted={(gone) => replies.setItems((old) => old.filter((t) => t.id !== gone))} />)}</div>
      {replies.loaded && replies.items.length === 0 && <Empty>No replies yet.</Empty>}
      {replies.hasMore && <MoreButton onMore={replies.more} busy={replies.busy} />}
    </section>
  )
}
