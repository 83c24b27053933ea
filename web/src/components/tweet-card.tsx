import { useState } from 'preact/hooks'
import { messageOf, type Tweet } from '../api.ts'
import { Link } from '../router.tsx'
import { api, me } from '../session.ts'
import { segments, when } from '../text.ts'
import { Compose } from './compose.tsx'

function TweetText({ text }: { text: string }) {
  return (
    <p class="tweet-text">
      {segments(text).map((s, i) =>
        s.kind === 'mention' ? <Link key={i} href={`/@${s.username}`}>{s.text}</Link>
        : s.kind === 'hashtag' ? <Link key={i} href={`/explore?q=${encodeURIComponent(`#${s.tag}`)}`}>{s.text}</Link>
        : s.text)}
    </p>
  )
}

/** One tweet with its buttons: reply, retweet, like, quote, and delete for its author. */
export function TweetCard({ tweet, onDeleted }: { tweet: Tweet; onDeleted?: (id: string) => void }) {
  const [state, setState] = useState({ liked: tweet.viewer?.liked ?? false, likes: tweet.like_count, retweeted: tweet.viewer?.retweeted ?? false, retweets: tweet.retweet_count })
  const [quoting, setQuoting] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const time = when(tweet.created_at)
  const mine = me.value?.id === tweet.author.id

  async function toggle(kind: 'like' | 'retweet') {
    setError(null)
    const on = kind === 'like' ? state.liked : state.retweeted
    try {
      if (kind === 'like') {
        const r = await api<{ liked: boolean; like_count: number }>(on ? 'DELETE' : 'POST', `/tweets/${tweet.id}/like`)
        setState((s) => ({ ...s, liked: r.liked, likes: r.like_count }))
      } else {
        const r = await api<{ retweeted: boolean; retweet_count: number }>(on ? 'DELETE' : 'POST', `/tweets/${tweet.id}/retweet`)
        setState((s) => ({ ...s, retweeted: r.retweeted, retweets: r.retweet_count }))
      }
    } catch (e) {
      setError(messageOf(e))
    }
  }
  async function remove() {
    if (!confirm('Delete this tweet?')) return
    try {
      await api('DELETE', `/tweets/${tweet.id}`)
      onDeleted?.(tweet.id)
    } catch (e) {
      setError(messageOf(e))
    }
  }

  return (
    <article class="tweet" aria-labelledby={`t-${tweet.id}-author`}>
      {tweet.retweeted_by && <p class="context">↻ Retweeted by <Link href={`/@${tweet.retweeted_by.username}`}>{tweet.retweeted_by.display_name}</Link></p>}
      <header>
        <Link href={`/@${tweet.author.username}`} class="author">
          <span id={`t-${tweet.id}-author`} class="name">{tweet.author.display_name}</span> <span class="handle">@{tweet.author.username}</span>
        </Link>
        <Link href={`/status/${tweet.id}`} class="time"><time dateTime={tweet.created_at} title={time.full}>{time.short}</time></Link>
      </header>
      {tweet.reply_to_id && <p class="context"><Link href={`/status/${tweet.reply_to_id}`}>Replying to a tweet</Link></p>}
      <TweetText text={tweet.text} />
      {tweet.quote_of_id && <p class="quote"><Link href={`/status/${tweet.quote_of_id}`}>Quoted tweet ›</Link></p>}
      {me.value && (
        <div class="actions" role="group" aria-label="Tweet actions">
          <Link href={`/status/${tweet.id}`} aria-label={`Reply, ${tweet.reply_count} ${tweet.reply_count === 1 ? "reply" : "replies"}`}>↩ {tweet.reply_count}</Link>
          <button type="button" aria-pressed={state.retweeted} aria-label={`Retweet, ${state.retweets} ${state.retweets === 1 ? "retweet" : "retweets"}`} onClick={() => toggle('retweet')}>↻ {state.retweets}</button>
          <button type="button" aria-pressed={state.liked} aria-label={`Like, ${state.likes} ${state.likes === 1 ? "like" : "likes"}`} onClick={() => toggle('like')} class={state.liked ? 'liked' : ''}>♥ {state.likes}</button>
          <button type="button" aria-expanded={quoting} onClick={() => setQuoting(!quoting)}>Quote</button>
          {mine && <button type="button" class="danger" onClick={remove}>Delete</button>}
        </div>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {quoting && <Compose quoteOf={tweet} onPosted={() => setQuoting(false)} label={`Quote ${tweet.author.display_name}'s tweet`} />}
    </article>
  )
}
