import { useEffect, useRef, useState } from 'preact/hooks'
import { messageOf, request, type Page, type Profile as ProfileData, type Relationship, type Tweet } from '../api.ts'
import { usePaged } from '../components/paged.ts'
import { TweetCard } from '../components/tweet-card.tsx'
import { Avatar, Empty, ErrorNote, MoreButton, PageTitle } from '../components/ui.tsx'
import { IMAGE_TYPES, refusal, uploadPicture, whenPicturesKnown } from '../media.ts'
import { Link } from '../router.tsx'
import { accessToken, api, me } from '../session.ts'

const count = new Intl.NumberFormat()

/** Follow, mute and block buttons from the viewer's relationship with the profile's account. */
function RelationButtons({ user, onChange }: { user: ProfileData; onChange: () => void }) {
  const [rel, setRel] = useState<Relationship | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    api<Relationship>('GET', `/relationships/${user.id}`).then(setRel, (e) => setError(messageOf(e)))
  }, [user.id])
  async function act(verb: string) {
    setError(null)
    try {
      await api('POST', `/${verb}/`, { body: { user_id: user.id } })
      setRel(await api<Relationship>('GET', `/relationships/${user.id}`))
      onChange()
    } catch (e) {
      setError(messageOf(e))
    }
  }
  if (!rel) return <ErrorNote error={error} />
  return (
    <div class="relation">
      {!rel.blocking && !rel.blocked_by && (
        <button type="button" class={rel.following ? '' : 'primary'} onClick={() => act(rel.following ? 'unfollow' : 'follow')}>{rel.following ? 'Unfollow' : 'Follow'}</button>
      )}
      <button type="button" onClick={() => act(rel.muting ? 'unmute' : 'mute')}>{rel.muting ? 'Unmute' : 'Mute'}</button>
      <button type="button" class="danger" onClick={() => act(rel.blocking ? 'unblock' : 'block')}>{rel.blocking ? 'Unblock' : 'Block'}</button>
      {!rel.blocking && !rel.blocked_by && <Link href={`/inbox/${user.id}`} class="button">Message</Link>}
      {rel.followed_by && <span class="tag">Follows you</span>}
      {rel.blocked_by && <span class="tag">You are blocked</span>}
      <ErrorNote error={error} />
    </div>
  )
}

/** The owner's own picture: choose one (sent, checked and set) or remove it. */
function AvatarControls({ user, onChange }: { user: ProfileData; onChange: (user: ProfileData) => void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const picker = useRef<HTMLInputElement>(null)
  async function set(change: () => Promise<string | null>) {
    setBusy(true)
    setError(null)
    try {
      const mediaId = await change()
      const updated = await whenPicturesKnown(() => api<ProfileData>('PATCH', '/users/me', { body: { avatar_media_id: mediaId } }))
      me.value = { ...me.value!, avatar_url: updated.avatar_url }
      onChange(updated)
    } catch (e) {
      setError(e instanceof Error ? e.message : messageOf(e))
    } finally {
      setBusy(false)
    }
  }
  function chosen(file: File | undefined) {
    if (!file) return
    const refused = refusal(file)
    if (refused) return setError(refused)
    void set(async () => (await uploadPicture(file, `${user.display_name}'s profile picture`)).id)
  }
  return (
    <div class="relation">
      <input ref={picker} id="avatar-file" class="sr-only" tabIndex={-1} aria-label="Profile picture file" type="file" accept={IMAGE_TYPES.join(',')} onChange={(e) => { chosen(e.currentTarget.files?.[0]); e.currentTarget.value = '' }} />
      <button type="button" onClick={() => picker.current?.click()} disabled={busy}>{busy ? 'Saving…' : 'Change picture'}</button>
      {user.avatar_url && <button type="button" onClick={() => set(async () => null)} disabled={busy}>Remove picture</button>}
      <ErrorNote error={error} />
    </div>
  )
}

export function Profile({ username }: { username: string }) {
  const [user, setUser] = useState<ProfileData | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = () => request<ProfileData>('GET', `/users/by-username/${encodeURIComponent(username)}`).then(setUser, (e) => setError(messageOf(e)))
  useEffect(() => {
    setUser(null)
    setError(null)
    void load()
  }, [username])
  const tweets = usePaged(async (cursor) => {
    const found = user ?? (await request<ProfileData>('GET', `/users/by-username/${encodeURIComponent(username)}`))
    return request<Page<Tweet>>('GET', `/users/${found.id}/tweets?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: await accessToken() })
  }, username)

  return (
    <section>
      <PageTitle>{user ? user.display_name : `@${username}`}</PageTitle>
      <ErrorNote error={error} />
      {user && (
        <div class="profile">
          <div class="profile-head">
            <Avatar user={user} large />
            <p class="handle">@{user.username}</p>
          </div>
          {me.value?.id === user.id && <AvatarControls user={user} onChange={(updated) => setUser({ ...user, avatar_url: updated.avatar_url })} />}
          {user.bio && <p>{user.bio}</p>}
          <ul class="counts" aria-label="Counts">
            <li><strong>{count.format(user.tweets_count)}</strong> Tweets</li>
            <li><strong>{count.format(user.following_count)}</strong> Following</li>
            <li><strong>{count.format(user.followers_count)}</strong> Followers</li>
          </ul>
          {me.value && me.value.id !== user.id && <RelationButtons user={user} onChange={load} />}
        </div>
      )}
      <h2>Tweets</h2>
      <div class="feed">{tweets.items.map((t) => <TweetCard key={t.id} tweet={t} onDeleted={(gone) => tweets.setItems((old) => old.filter((x) => x.id !== gone))} />)}</div>
      <ErrorNote error={tweets.error} />
      {tweets.loaded && tweets.items.length === 0 && !tweets.error && <Empty>No tweets yet.</Empty>}
      {tweets.hasMore && <MoreButton onMore={tweets.more} busy={tweets.busy} />}
    </section>
  )
}
