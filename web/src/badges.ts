import { effect, signal } from '@preact/signals'
import type { Conversation, Notification } from './api.ts'
import { connected, onLive } from './live.ts'
import { path } from './router.tsx'
import { api, me } from './session.ts'

// The unread badges in the navigation: counted by the server once, then kept up by the socket.
// Signals, so a badge re-renders alone and the lists under it do not.
export const unreadNotifications = signal(0)
export const unreadMessages = signal(0)

export async function loadBadges() {
  const user = me.value
  if (!user) return
  const [inbox, conversations] = await Promise.allSettled([
    api<{ unread_count: number }>('GET', `/notifications/${user.id}?limit=1`),
    api<{ items: Conversation[] }>('GET', '/conversations?limit=100'),
  ])
  if (inbox.status === 'fulfilled') unreadNotifications.value = inbox.value.unread_count
  if (conversations.status === 'fulfilled') unreadMessages.value = conversations.value.items.reduce((sum, c) => sum + c.unread_count, 0)
}

onLive((frame) => {
  if (frame.type === 'notification' && !(frame.data as Notification).read && path.value !== '/notifications') unreadNotifications.value++
  if (frame.type === 'message' && frame.data.sender_id !== me.value?.id && path.value !== `/inbox/${frame.data.sender_id}`) unreadMessages.value++
})

// Counted again each time the socket is ready: what arrived while it was connecting (or away) is
// in the server's count, and the socket carries what comes after.
effect(() => {
  if (connected.value) void loadBadges()
})
