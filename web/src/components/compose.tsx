import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiError, messageOf, type Tweet } from '../api.ts'
import { MAX_PICTURES, IMAGE_TYPES, refusal, uploadPicture, whenPicturesKnown } from '../media.ts'
import { api } from '../session.ts'
import { MAX_TWEET, tweetLength } from '../text.ts'

// A draft outlives a failed refresh (back to sign-in) and a reload: it is saved as it is typed.
// Its pictures do not: files cannot be kept in sessionStorage.
const draftKey = (replyTo?: string, quoteOf?: string) => `starling.draft:${replyTo ? `r${replyTo}` : quoteOf ? `q${quoteOf}` : 'new'}`

/** A picture chosen for the tweet: the file, a local preview of it, and its alt text. */
interface Attachment { key: string; file: File; preview: string; alt: string }

/** The pictures of a draft: chosen by picker, dropped or pasted, up to 4, each with alt text. */
function Attachments({ items, onAlt, onRemove, idPrefix }: { items: Attachment[]; onAlt: (key: string, alt: string) => void; onRemove: (key: string) => void; idPrefix: string }) {
  if (items.length === 0) return null
  return (
    <ul class="attachments" aria-label="Pictures to post">
      {items.map((item, index) => (
        <li key={item.key}>
          <img src={item.preview} alt="" />
          <label for={`${idPrefix}-alt-${index}`}>Alt text for picture {index + 1}</label>
          <input id={`${idPrefix}-alt-${index}`} type="text" maxLength={1500} value={item.alt} placeholder="Describe the picture" onInput={(e) => onAlt(item.key, e.currentTarget.value)} />
          <button type="button" onClick={() => onRemove(item.key)}>Remove picture {index + 1}</button>
        </li>
      ))}
    </ul>
  )
}

/** The tweet box: a 280 code point counter as the server counts, up to 4 pictures, and the server's errors beside it. */
export function Compose(props: { replyTo?: Tweet; quoteOf?: Tweet; onPosted?: (tweet: Tweet) => void; label?: string }) {
  const key = draftKey(props.replyTo?.id, props.quoteOf?.id)
  const [text, setText] = useState(() => sessionStorage.getItem(key) ?? '')
  const [attachments, setAttachments] = useState<Attachment[]>([])
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [dragging, setDragging] = useState(false)
  const idempotency = useRef(crypto.randomUUID())
  const picker = useRef<HTMLInputElement>(null)
  const left = MAX_TWEET - tweetLength(text)
  const id = `compose-${props.replyTo?.id ?? props.quoteOf?.id ?? 'new'}`
  useEffect(() => {
    if (text) sessionStorage.setItem(key, text)
    else sessionStorage.removeItem(key)
  }, [key, text])
  // The local previews are object URLs: released when the picture goes.
  useEffect(() => () => attachments.forEach((a) => URL.revokeObjectURL(a.preview)), [])

  function attach(files: Iterable<File>) {
    setError(null)
    const chosen = [...files]
    const refused = chosen.map(refusal).find(Boolean)
    const usable = chosen.filter((file) => !refusal(file))
    const room = MAX_PICTURES - attachments.length
    if (refused) setError(refused)
    else if (usable.length > room) setError(`A tweet has at most ${MAX_PICTURES} pictures.`)
    const added = usable.slice(0, Math.max(0, room)).map((file) => ({ key: crypto.randomUUID(), file, preview: URL.createObjectURL(file), alt: '' }))
    if (added.length > 0) setAttachments((old) => [...old, ...added])
  }
  function remove(gone: string) {
    setAttachments((old) => old.filter((a) => {
      if (a.key === gone) URL.revokeObjectURL(a.preview)
      return a.key !== gone
    }))
  }

  async function submit(event: Event) {
    event.preventDefault()
    setError(null)
    try {
      setBusy(attachments.length > 0 ? 'Sending pictures…' : 'Posting…')
      const media = await Promise.all(attachments.map((a) => uploadPicture(a.file, a.alt)))
      setBusy('Posting…')
      const body = {
        text, ...(props.replyTo ? { reply_to_id: props.replyTo.id } : {}), ...(props.quoteOf ? { quote_of_id: props.quoteOf.id } : {}),
        ...(media.length > 0 ? { media_ids: media.map((m) => m.id) } : {}),
      }
      const tweet = await whenPicturesKnown(() => api<Tweet>('POST', '/tweets/', { body, headers: { 'idempotency-key': idempotency.current } }))
      idempotency.current = crypto.randomUUID()
      setText('')
      attachments.forEach((a) => URL.revokeObjectURL(a.preview))
      setAttachments([])
      props.onPosted?.(tweet)
    } catch (e) {
      setError(e instanceof ApiError ? e.message : e instanceof Error ? e.message : messageOf(e))
    } finally {
      setBusy(null)
    }
  }

  const label = props.label ?? (props.replyTo ? `Reply to ${props.replyTo.author.display_name}` : "What's happening?")
  return (
    <form
      class={dragging ? 'compose dragging' : 'compose'}
      onSubmit={submit}
      onDragOver={(e) => { if (e.dataTransfer?.types.includes('Files')) { e.preventDefault(); setDragging(true) } }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => { e.preventDefault(); setDragging(false); if (e.dataTransfer) attach(e.dataTransfer.files) }}
    >
      <label for={id}>{label}</label>
      <textarea
        id={id} value={text} rows={3} onInput={(e) => setText(e.currentTarget.value)}
        onPaste={(e) => { const files = e.clipboardData?.files; if (files && files.length > 0) { e.preventDefault(); attach(files) } }}
        aria-describedby={`${id}-count${error ? ` ${id}-error` : ''}`} aria-invalid={left < 0 || undefined}
      />
      <Attachments items={attachments} idPrefix={id} onRemove={remove} onAlt={(k, alt) => setAttachments((old) => old.map((a) => (a.key === k ? { ...a, alt } : a)))} />
      <div class="compose-bar">
        <input ref={picker} id={`${id}-files`} class="sr-only" tabIndex={-1} aria-label="Pictures to add" type="file" accept={IMAGE_TYPES.join(',')} multiple onChange={(e) => { attach(e.currentTarget.files ?? []); e.currentTarget.value = '' }} />
        <button type="button" onClick={() => picker.current?.click()} disabled={attachments.length >= MAX_PICTURES || busy !== null}>Add pictures</button>
        <span id={`${id}-count`} class={left < 0 ? 'count over' : left <= 20 ? 'count near' : 'count'} aria-live="polite">
          {left < 0 ? `${-left} characters over` : `${left} characters left`}
        </span>
        <button type="submit" class="primary" disabled={busy !== null || left < 0 || tweetLength(text) === 0}>{busy ?? (props.replyTo ? 'Reply' : props.quoteOf ? 'Quote' : 'Tweet')}</button>
      </div>
      {error && <p class="error" role="alert" id={`${id}-error`}>{error}</p>}
    </form>
  )
}
