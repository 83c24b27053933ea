import { useEffect, useState } from 'preact/hooks'
import type { Page, Tweet } from '../api.ts'
import { Compose } from '../components/compose.tsx'
import { usePaged } from '../components/paged.ts'
import { TweetCard } from '../components/tweet-card.tsx'
import { Empty, ErrorNote, MoreButton, PageTitle } from '../components/ui.tsx'
import { onLive } from '../live.ts'
import { api, me } from '../session.ts'

/** The home timeline. New tweets wait behind a bar instead of moving the list under the reader. */
export function Home() {
  const user = me.value!
  const timeline = usePaged((cursor) => api<Page<Tweet>>('GET', `/timelines/${user.id}?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), user.id)
  const [pending, setPending] = useState<Tweet[]>([])

  useEffect(() => onLive((frame) => {
    if (frame.type === 'tweet' && frame.data.author.id !== user.id) {
      setPending((old) => (old.some((t) => t.id === frame.data.id) ? old : [frame.data, ...old]))
    } else if (frame.type === 'tweet_deleted') {
      const gone = frame.data.tweet_id
      setPending((old) => old.filter((t) => t.id !== gone))
      timeline.setItems((old) => old.filter((t) => t.id !== gone))
    }
  }), [user.id])

  function showPending() {
    const shown = new Set(timeline.items.map((t) => t.id))
    timeline.setItems((old) => [...pending.filter((t) => !shown.has(t.id)), ...old])
    setPending([])
    document.getElementById('timeline')?.focus()
  }
  const removed = (id: string) => timeline.setItems((old) => old.filter((t) => t.id !== id))
  const n = pending.length

  return (
    <section>
      <PageTitle>Home</PageTitle>
      <Compose onPosted={(tweet) => timeline.setItems((old) => [tweet, ...old])} />
      <div aria-live="polite" class="pending-slot">
        {n > 0 && <button type="button" class="new-tweets" onClick={showPending}>{n === 1 ? '1 new tweet' : `${n} new tweets`}</button>}
      </div>
      <div id="timeline" tabIndex={-1} class="feed" aria-label="Home timeline" role="feed" aria-busy={timeline.busy}>
        {timeline.items.map((tweet) => <TweetCard key={`${tweet.id}:${tweet.retweeted_by?.id ?? ''}`} tweet={tweet} onDeleted={removed} />)}
      </div>
      <ErrorNote error={timeline.error} />
      {timeline.loaded && timeline.items.length === 0 && !timeline.error && <Empty>Nothing here yet. Follow people to fill your timeline, or search for a topic.</Empty>}
      {timeline.hasMore && <MoreButton onMore={timeline.more} busy={timeline.busy} />}
    </section>
  )
}
