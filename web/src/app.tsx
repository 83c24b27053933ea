import { useEffect } from 'preact/hooks'
import { loadBadges, unreadMessages, unreadNotifications } from './badges.ts'
import { startLive, stopLive } from './live.ts'
import { SignIn, SignUp } from './pages/auth.tsx'
import { Explore } from './pages/explore.tsx'
import { Home } from './pages/home.tsx'
import { Inbox, Thread } from './pages/inbox.tsx'
import { Notifications } from './pages/notifications.tsx'
import { Profile } from './pages/profile.tsx'
import { Status } from './pages/status.tsx'
import { Link, navigate, path } from './router.tsx'
import { me, signOut } from './session.ts'

/** The page for a path; pages for the signed-in send others to sign-in (and back afterwards). */
function route(p: string, signedIn: boolean) {
  let m: RegExpMatchArray | null
  if (p === '/signin') return <SignIn />
  if (p === '/signup') return <SignUp />
  if (p === '/explore') return <Explore />
  if ((m = p.match(/^\/@([A-Za-z0-9_]{1,30})$/))) return <Profile key={m[1]} username={m[1]!} />
  if ((m = p.match(/^\/status\/([0-9]+)$/))) return <Status key={m[1]} id={m[1]!} />
  if (!signedIn) return null
  if (p === '/' || p === '/home') return <Home />
  if (p === '/notifications') return <Notifications />
  if (p === '/inbox') return <Inbox />
  if ((m = p.match(/^\/inbox\/([0-9]+)$/))) return <Thread key={m[1]} otherId={m[1]!} />
  return <p>No such page. <Link href="/home">Go home</Link></p>
}

function Badge({ count, label }: { count: number; label: string }) {
  if (count === 0) return null
  return <span class="badge" data-testid={`badge-${label}`}><span aria-hidden="true">{count > 99 ? '99+' : count}</span><span class="sr-only">, {count} unread</span></span>
}

function Nav() {
  const user = me.value
  const current = (href: string) => (path.value === href || (href === '/home' && path.value === '/') ? 'page' as const : undefined)
  if (!user) {
    return (
      <nav aria-label="Main">
        <Link href="/explore" aria-current={current('/explore')}>Explore</Link>
        <Link href="/signin" aria-current={current('/signin')}>Sign in</Link>
        <Link href="/signup" aria-current={current('/signup')}>Sign up</Link>
      </nav>
    )
  }
  return (
    <nav aria-label="Main">
      <Link href="/home" aria-current={current('/home')}>Home</Link>
      <Link href="/explore" aria-current={current('/explore')}>Explore</Link>
      <Link href="/notifications" aria-current={current('/notifications')}>Notifications<Badge count={unreadNotifications.value} label="notifications" /></Link>
      <Link href="/inbox" aria-current={current('/inbox')}>Messages<Badge count={unreadMessages.value} label="messages" /></Link>
      <Link href={`/@${user.username}`} aria-current={current(`/@${user.username}`)}>Profile</Link>
      <button type="button" class="link" onClick={() => void signOut()}>Sign out</button>
    </nav>
  )
}

export function App() {
  const user = me.value
  const signedIn = user !== null
  useEffect(() => {
    if (!user) {
      stopLive()
      unreadNotifications.value = 0
      unreadMessages.value = 0
      return
    }
    startLive()
    void loadBadges()
  }, [user?.id])
  const page = route(path.value, signedIn)
  useEffect(() => {
    if (!page) navigate(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true })
    else if (signedIn && (path.value === '/signin' || path.value === '/signup')) navigate('/home', { replace: true })
  }, [page === null, signedIn, path.value])

  return (
    <>
      <a href="#main" class="skip">Skip to content</a>
      <header class="top">
        <Link href={signedIn ? '/home' : '/explore'} class="brand" aria-label="Starling, home">Starling</Link>
        <Nav />
      </header>
      <main id="main">{page}</main>
    </>
  )
}
