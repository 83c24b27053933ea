import { useEffect, useRef, useState } from 'preact/hooks'
import { messageOf, type MediaAttachment, type Tweet } from '../api.ts'
import { Link } from '../router.tsx'
import { api, me } from '../session.ts'
import { segments, when } from '../text.ts'
import { Compose } from './compose.tsx'
import { Avatar } from './ui.tsx'

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

/** A picture at full size in a modal dialog, its alt text beneath; Escape or the button closes it. */
function Viewer({ picture, onClose }: { picture: MediaAttachment; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    ref.current?.showModal()
  }, [])
  return (
    <dialog ref={ref} class="viewer" aria-label="Picture" onClose={onClose} onClick={(e) => { if (e.target === ref.current) ref.current?.close() }}>
      <img src={picture.url} alt={picture.alt_text} width={picture.width} height={picture.height} />
      {picture.alt_text && <p class="alt">{picture.alt_text}</p>}
      <button type="button" onClick={() => ref.current?.close()}>Close</button>
    </dialog>
  )
}

/** A tweet's pictures as previews; each opens the viewer. */
function Pictures({ media }: { media: MediaAttachment[] }) {
  const [open, setOpen] = useState<MediaAttachment | null>(null)
  if (media.length === 0) return null
  return (
    <div class={`pictures n${media.length}`}>
      {media.map((picture, index) => (
        <button key={picture.id} type="button" class="picture" onClick={() => setOpen(picture)} aria-label={`Open picture ${index + 1}${picture.alt_text ? `: ${picture.alt_text}` : ''}`}>
          <img src={picture.preview_url} alt={picture.alt_text} width={picture.width} height={picture.height} loading="lazy" />
        </button>
      ))}
      {open && <Viewer picture={open} onClose={() => setOpen(null)} />}
    </div>
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
        <Avatar user={tweet.author} />
        <Link href={`/@${tweet.author.username}`} class="author">
          <span id={`t-${tweet.id}-author`} class="name">{tweet.author.display_name}</span> <span class="handle">@{tweet.author.username}</span>
        </Link>
        <Link href={`/status/${tweet.id}`} class="time"><time dateTime={tweet.created_at} title={time.full}>{time.short}</time></Link>
      </header>
      {tweet.reply_to_id && <p class="context"><Link href={`/status/${tweet.reply_to_id}`}>Replying to a tweet</Link></p>}
      <TweetText text={tweet.text} />
      <Pictures media={tweet.media} />
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
