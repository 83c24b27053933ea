import { useState } from 'preact/hooks'
import { request, type Hashtag, type Page, type Tweet, type UserRef } from '../api.ts'
import { usePaged } from '../components/paged.ts'
import { TweetCard } from '../components/tweet-card.tsx'
import { Empty, ErrorNote, MoreButton, PageTitle } from '../components/ui.tsx'
import { Link, navigate, query } from '../router.tsx'
import { accessToken } from '../session.ts'

const TABS = [['tweets', 'Tweets'], ['users', 'People'], ['hashtags', 'Hashtags']] as const
type Kind = (typeof TABS)[number][0]

function Results({ q, type }: { q: string; type: Kind }) {
  const results = usePaged(async (cursor) => {
    const params = new URLSearchParams({ q, type, limit: '20', ...(cursor ? { cursor } : {}) })
    return request<Page<Tweet | UserRef | Hashtag>>('GET', `/search/?${params}`, { token: await accessToken() })
  }, `${type}:${q}`)
  return (
    <div id="results" role="tabpanel" aria-labelledby={`tab-${type}`}>
      <div class="feed">
        {results.items.map((item) =>
          type === 'tweets' ? <TweetCard key={(item as Tweet).id} tweet={item as Tweet} />
          : type === 'users' ? <p key={(item as UserRef).id} class="person"><Link href={`/@${(item as UserRef).username}`}><strong>{(item as UserRef).display_name}</strong> @{(item as UserRef).username}</Link></p>
          : <p key={(item as Hashtag).tag} class="person"><Link href={`/explore?q=${encodeURIComponent(`#${(item as Hashtag).tag}`)}`}>#{(item as Hashtag).tag}</Link> · {(item as Hashtag).count} tweets</p>)}
      </div>
      <ErrorNote error={results.error} />
      {results.loaded && results.items.length === 0 && !results.error && <Empty>No results for “{q}”.</Empty>}
      {results.hasMore && <MoreButton onMore={results.more} busy={results.busy} />}
    </div>
  )
}

/** Search: tweets, people and hashtags, with the query and tab in the URL. */
export function Explore() {
  const q = query.value.get('q') ?? ''
  const type = (TABS.find(([t]) => t === query.value.get('type'))?.[0] ?? 'tweets') as Kind
  const [draft, setDraft] = useState(q)
  const go = (nextQ: string, nextType: Kind) => navigate(`/explore?${new URLSearchParams({ q: nextQ, type: nextType })}`)
  return (
    <section>
      <PageTitle>Explore</PageTitle>
      <form role="search" onSubmit={(e) => { e.preventDefault(); if (draft.trim()) go(draft.trim(), type) }}>
        <label for="search-q">Search tweets, people and #hashtags</label>
        <div class="search-row">
          <input id="search-q" type="search" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
          <button type="submit" class="primary">Search</button>
        </div>
      </form>
      <div role="tablist" aria-label="What to search" class="tabs">
        {TABS.map(([t, label]) => (
          <button key={t} id={`tab-${t}`} type="button" role="tab" aria-selected={t === type} aria-controls="results" onClick={() => go(q || draft, t)}>{label}</button>
        ))}
      </div>
      {q ? <Results q={q} type={type} /> : <div id="results" role="tabpanel" aria-labelledby={`tab-${type}`}><Empty>Type something to search.</Empty></div>}
    </section>
  )
}
