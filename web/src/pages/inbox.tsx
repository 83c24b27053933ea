import { useEffect, useRef, useState } from 'preact/hooks'
import { messageOf, request, type Conversation, type Message, type Page, type UserRef } from '../api.ts'
import { usePaged } from '../components/paged.ts'
import { Empty, ErrorNote, PageTitle } from '../components/ui.tsx'
import { loadBadges } from '../badges.ts'
import { onLive } from '../live.ts'
import { Link } from '../router.tsx'
import { api, me } from '../session.ts'
import { MAX_MESSAGE, when } from '../text.ts'

/** Conversations, by last activity. */
export function Inbox() {
  const list = usePaged((cursor) => api<Page<Conversation>>('GET', `/conversations?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), 'inbox')
  useEffect(() => onLive((frame) => { if (frame.type === 'message') void list.reload() }), [])
  return (
    <section>
      <PageTitle>Messages</PageTitle>
      <ul class="conversations">
        {list.items.map((c) => (
          <li key={c.id} class={c.unread_count ? 'unread' : ''}>
            <Link href={`/inbox/${c.other.id}`}>
              <strong>{c.other.display_name}</strong> <span class="handle">@{c.other.username}</span>
              {c.unread_count > 0 && <span class="badge" aria-label={`${c.unread_count} unread`}>{c.unread_count}</span>}
              <span class="preview">{c.last_message.text}</span>
            </Link>
          </li>
        ))}
      </ul>
      <ErrorNote error={list.error} />
      {list.loaded && list.items.length === 0 && !list.error && <Empty>No messages yet. Open someone's profile to write to them.</Empty>}
    </section>
  )
}

/** One conversation, with the other person by id: it exists once the first message is sent. */
export function Thread({ otherId }: { otherId: string }) {
  const user = me.value!
  const [other, setOther] = useState<UserRef | null>(null)
  const [conversationId, setConversationId] = useState<string | null>(null)
  const [messages, setMessages] = useState<Message[]>([])
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const idempotency = useRef(crypto.randomUUID())
  const end = useRef<HTMLDivElement>(null)

  async function markRead(id: string) {
    await api('POST', `/messages/${id}/read`).catch(() => {})
    void loadBadges()
  }
  useEffect(() => {
    setMessages([])
    setConversationId(null)
    setError(null)
    request<UserRef>('GET', `/users/${otherId}`).then(setOther, (e) => setError(messageOf(e)))
    void (async () => {
      try {
        const conversations = await api<Page<Conversation>>('GET', '/conversations?limit=100')
        const found = conversations.items.find((c) => c.other.id === otherId)
        if (!found) return
        setConversationId(found.id)
        const page = await api<Page<Message>>('GET', `/messages/${found.id}?limit=50`)
        setMessages(page.items.reverse())
        if (found.unread_count) void markRead(found.id)
      } catch (e) {
        setError(messageOf(e))
      }
    })()
  }, [otherId])
  useEffect(() => onLive((frame) => {
    if (frame.type !== 'message') return
    const m = frame.data
    if (![m.sender_id, m.recipient_id].includes(otherId)) return
    setConversationId(m.conversation_id)
    setMessages((old) => (old.some((x) => x.id === m.id) ? old : [...old, m]))
    if (m.sender_id === otherId) void markRead(m.conversation_id)
  }), [otherId])
  useEffect(() => end.current?.scrollIntoView({ block: 'end' }), [messages.length])

  async function send(event: Event) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const m = await api<Message>('POST', '/messages/', { body: { recipient_id: otherId, text }, headers: { 'idempotency-key': idempotency.current } })
      idempotency.current = crypto.randomUUID()
      setConversationId(m.conversation_id)
      setMessages((old) => (old.some((x) => x.id === m.id) ? old : [...old, m]))
      setText('')
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="thread">
      <PageTitle>{other ? `Messages with ${other.display_name}` : 'Messages'}</PageTitle>
      {other && <p><Link href={`/@${other.username}`}>@{other.username}</Link>{conversationId ? '' : ' · no messages yet'}</p>}
      <ol class="messages" aria-live="polite" aria-label="Messages">
        {messages.map((m) => {
          const time = when(m.created_at)
          const mine = m.sender_id === user.id
          return (
            <li key={m.id} class={mine ? 'mine' : 'theirs'}>
              <span class="sr-only">{mine ? 'You' : other?.display_name ?? 'They'}: </span>
              <span class="bubble">{m.text}</span>
              <time dateTime={m.created_at} title={time.full}>{time.short}</time>
            </li>
          )
        })}
      </ol>
      <div ref={end} />
      <form class="compose" onSubmit={send}>
        <label for="dm-text">Write a message</label>
        <textarea id="dm-text" rows={2} value={text} maxLength={MAX_MESSAGE * 2} onInput={(e) => setText(e.currentTarget.value)} />
        <div class="compose-bar">
          <span class="count">{[...text.trim()].length} / {MAX_MESSAGE}</span>
          <button type="submit" class="primary" disabled={busy || !text.trim()}>Send</button>
        </div>
        <ErrorNote error={error} />
      </form>
    </section>
  )
}
