import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiError, messageOf, type Tweet } from '../api.ts'
import { api } from '../session.ts'
import { MAX_TWEET, tweetLength } from '../text.ts'

// A draft outlives a failed refresh (back to sign-in) and a reload: it is saved as it is typed.
const draftKey = (replyTo?: string, quoteOf?: string) => `starling.draft:${replyTo ? `r${replyTo}` : quoteOf ? `q${quoteOf}` : 'new'}`

/** The tweet box: a 280 code point counter as the server counts, and the server's errors beside it. */
export function Compose(props: { replyTo?: Tweet; quoteOf?: Tweet; onPosted?: (tweet: Tweet) => void; label?: string }) {
  const key = draftKey(props.replyTo?.id, props.quoteOf?.id)
  const [text, setText] = useState(() => sessionStorage.getItem(key) ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const idempotency = useRef(crypto.randomUUID())
  const left = MAX_TWEET - tweetLength(text)
  const id = `compose-${props.replyTo?.id ?? props.quoteOf?.id ?? 'new'}`
  useEffect(() => {
    if (text) sessionStorage.setItem(key, text)
    else sessionStorage.removeItem(key)
  }, [key, text])

  async function submit(event: Event) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const tweet = await api<Tweet>('POST', '/tweets/', {
        body: { text, ...(props.replyTo ? { reply_to_id: props.replyTo.id } : {}), ...(props.quoteOf ? { quote_of_id: props.quoteOf.id } : {}) },
        headers: { 'idempotency-key': idempotency.current },
      })
      idempotency.current = crypto.randomUUID()
      setText('')
      props.onPosted?.(tweet)
    } catch (e) {
      setError(e instanceof ApiError ? (e.field('text') ? `${e.message}` : e.message) : messageOf(e))
    } finally {
      setBusy(false)
    }
  }

  const label = props.label ?? (props.replyTo ? `Reply to ${props.replyTo.author.display_name}` : "What's happening?")
  return (
    <form class="compose" onSubmit={submit}>
      <label for={id}>{label}</label>
      <textarea id={id} value={text} rows={3} onInput={(e) => setText(e.currentTarget.value)} aria-describedby={`${id}-count${error ? ` ${id}-error` : ''}`} aria-invalid={left < 0 || undefined} />
      <div class="compose-bar">
        <span id={`${id}-count`} class={left < 0 ? 'count over' : left <= 20 ? 'count near' : 'count'} aria-live="polite">
          {left < 0 ? `${-left} characters over` : `${left} characters left`}
        </span>
        <button type="submit" class="primary" disabled={busy || left < 0 || tweetLength(text) === 0}>{props.replyTo ? 'Reply' : props.quoteOf ? 'Quote' : 'Tweet'}</button>
      </div>
      {error && <p class="error" role="alert" id={`${id}-error`}>{error}</p>}
    </form>
  )
}
