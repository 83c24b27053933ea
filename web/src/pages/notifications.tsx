import { useEffect } from 'preact/hooks'
import type { Notification } from '../api.ts'
import { usePaged } from '../components/paged.ts'
import { Empty, ErrorNote, MoreButton, PageTitle } from '../components/ui.tsx'
import { onLive } from '../live.ts'
import { unreadNotifications } from '../badges.ts'
import { Link } from '../router.tsx'
import { api, me } from '../session.ts'
import { when } from '../text.ts'

const WHAT: Record<Notification['type'], string> = {
  follow: 'followed you',
  like: 'liked your tweet',
  retweet: 'retweeted your tweet',
  reply: 'replied to your tweet',
  mention: 'mentioned you',
  message: 'sent you a message',
}

function target(n: Notification) {
  if (n.type === 'message') return `/inbox/${n.actor.id}`
  if (n.tweet_id) return `/status/${n.tweet_id}`
  return `/@${n.actor.username}`
}

/** The inbox: read on arrival (the badge goes to zero); new ones arrive on top over the socket. */
export function Notifications() {
  const user = me.value!
  const list = usePaged((cursor) => api<{ items: Notification[]; next_cursor: string | null }>('GET', `/notifications/${user.id}?limit=30${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), user.id)
  useEffect(() => {
    if (!list.loaded || list.items.length === 0) return
    void api<{ unread_count: number }>('POST', `/notifications/${user.id}/read`, { body: { up_to_id: list.items[0]!.id } })
      .then((r) => { unreadNotifications.value = r.unread_count }, () => {})
  }, [list.loaded, list.items[0]?.id])
  useEffect(() => onLive((frame) => {
    if (frame.type === 'notification') list.setItems((old) => (old.some((n) => n.id === frame.data.id) ? old : [frame.data, ...old]))
  }), [user.id])

  return (
    <section>
      <PageTitle>Notifications</PageTitle>
      <ul class="notifications">
        {list.items.map((n) => {
          const time = when(n.created_at)
          return (
            <li key={n.id} class={n.read ? '' : 'unread'}>
              <Link href={target(n)}><strong>{n.actor.display_name}</strong> {WHAT[n.type]}</Link>{' '}
              <time dateTime={n.created_at} title={time.full}>{time.short}</time>
            </li>
          )
        })}
      </ul>
      <ErrorNote error={list.error} />
      {list.loaded && list.items.length === 0 && !list.error && <Empty>No notifications yet.</Empty>}
      {list.hasMore && <MoreButton onMore={list.more} busy={list.busy} />}
    </section>
  )
}
