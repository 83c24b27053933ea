import { randomUUID } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { as, newAccount, signedIn, signIn, tweetCard } from './fixtures.ts'

const word = () => `w${randomUUID().replaceAll('-', '').slice(0, 10)}`

test('a follower sees a new tweet behind "1 new tweet", likes it, and the author\'s badge rises; search finds it', async ({ browser, request }) => {
  const [author, reader] = await Promise.all([newAccount(request, 'Author'), newAccount(request, 'Reader')])
  const a = await signedIn(browser, author)
  const b = await signedIn(browser, reader)

  // The reader follows the author from the author's profile.
  await b.page.goto(`/@${author.username}`)
  await expect(b.page.getByRole('heading', { name: author.display_name, level: 1 })).toBeVisible()
  await b.page.getByRole('button', { name: 'Follow', exact: true }).click()
  await expect(b.page.getByRole('button', { name: 'Unfollow' })).toBeVisible()
  // The author hears of the follow over the socket: the badge rises without a reload.
  await expect(a.page.getByTestId('badge-notifications')).toContainText('1 unread')
  await b.page.getByRole('link', { name: 'Home', exact: true }).click()
  await expect(b.page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible()

  // The author posts with the compose box; the counter counts code points, as the server does.
  const text = `Live from the browser ${word()} #starling 🐦`
  const box = a.page.getByLabel("What's happening?")
  await box.fill(text)
  await expect(a.page.getByText(`${280 - [...text].length} characters left`)).toBeVisible()
  await a.page.getByRole('button', { name: 'Tweet', exact: true }).click()
  await expect(tweetCard(a.page, text)).toBeVisible()

  // The reader's list does not move under them: the tweet waits behind the bar.
  const bar = b.page.getByRole('button', { name: '1 new tweet' })
  await expect(bar).toBeVisible()
  await expect(tweetCard(b.page, text)).toHaveCount(0)
  await bar.click()
  const card = tweetCard(b.page, text)
  await expect(card).toBeVisible()
  await card.getByRole('button', { name: /^Like/ }).click()
  await expect(card.getByRole('button', { name: 'Like, 1 like' })).toHaveAttribute('aria-pressed', 'true')

  // And of the like: the badge rises again.
  await expect(a.page.getByTestId('badge-notifications')).toContainText('2 unread')
  await a.page.getByRole('link', { name: /Notifications/ }).click()
  await expect(a.page.getByRole('link', { name: `${reader.display_name} liked your tweet` })).toBeVisible()
  await expect(a.page.getByRole('link', { name: `${reader.display_name} followed you` })).toBeVisible()
  await expect(a.page.getByTestId('badge-notifications')).toHaveCount(0)

  // Search finds it (indexing follows the event stream, so the search is tried again until it does).
  const searchWord = text.split(' ')[3]!
  await b.page.getByRole('link', { name: 'Explore' }).click()
  await expect(async () => {
    await b.page.getByLabel('Search tweets, people and #hashtags').fill(searchWord)
    await b.page.getByRole('button', { name: 'Search', exact: true }).click()
    await expect(tweetCard(b.page, text)).toBeVisible({ timeout: 2_000 })
  }).toPass({ timeout: 30_000 })
  await b.page.getByRole('tab', { name: 'People' }).click()
  await b.page.getByLabel('Search tweets, people and #hashtags').fill(author.username)
  await b.page.getByRole('button', { name: 'Search', exact: true }).click()
  await expect(b.page.getByRole('link', { name: new RegExp(author.username) })).toBeVisible()
  await a.context.close()
  await b.context.close()
})

test('a direct message goes both ways live', async ({ browser, request }) => {
  const [ada, bob] = await Promise.all([newAccount(request, 'Ada'), newAccount(request, 'Bob')])
  const a = await signedIn(browser, ada)
  const b = await signedIn(browser, bob)
  await a.page.goto(`/inbox/${bob.id}`)
  await b.page.goto(`/inbox/${ada.id}`)
  await expect(b.page.getByRole('heading', { name: `Messages with ${ada.display_name}` })).toBeVisible()

  const hello = `Hello Bob ${word()}`
  await a.page.getByLabel('Write a message').fill(hello)
  await a.page.getByRole('button', { name: 'Send' }).click()
  await expect(b.page.getByRole('list', { name: 'Messages' }).getByText(hello)).toBeVisible()

  const back = `Hi Ada ${word()}`
  await b.page.getByLabel('Write a message').fill(back)
  await b.page.getByRole('button', { name: 'Send' }).click()
  await expect(a.page.getByRole('list', { name: 'Messages' }).getByText(back)).toBeVisible()

  // Both ends list the conversation.
  await a.page.getByRole('link', { name: 'Messages', exact: true }).click()
  await expect(a.page.getByRole('link', { name: new RegExp(bob.display_name) })).toBeVisible()
  await a.context.close()
  await b.context.close()
})

test('a blocked or muted author\'s tweets never show, live, on the timeline or in search', async ({ browser, request }) => {
  const [reader, friend, blocked, muted] = await Promise.all([newAccount(request, 'Reader'), newAccount(request, 'Friend'), newAccount(request, 'Blocked'), newAccount(request, 'Muted')])
  for (const other of [friend, blocked, muted]) await as(request, reader, 'POST', '/follow/', { user_id: other.id })
  const b = await signedIn(browser, reader)
  // Blocked from the profile, as a person would; muted too.
  await b.page.goto(`/@${blocked.username}`)
  await b.page.getByRole('button', { name: 'Block' }).click()
  await expect(b.page.getByRole('button', { name: 'Unblock' })).toBeVisible()
  await b.page.goto(`/@${muted.username}`)
  await b.page.getByRole('button', { name: 'Mute' }).click()
  await expect(b.page.getByRole('button', { name: 'Unmute' })).toBeVisible()
  await b.page.getByRole('link', { name: 'Home', exact: true }).click()
  await expect(b.page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible()

  const topic = word()
  await as(request, blocked, 'POST', '/tweets/', { text: `blocked says ${topic}` })
  await as(request, muted, 'POST', '/tweets/', { text: `muted says ${topic}` })
  // The friend's tweet comes after both: once it is here, theirs had their chance.
  await as(request, friend, 'POST', '/tweets/', { text: `friend says ${topic}` })
  await expect(b.page.getByRole('button', { name: '1 new tweet' })).toBeVisible()
  await b.page.getByRole('button', { name: '1 new tweet' }).click()
  await expect(tweetCard(b.page, `friend says ${topic}`)).toBeVisible()
  await b.page.reload()
  await expect(tweetCard(b.page, `friend says ${topic}`)).toBeVisible()
  await expect(b.page.getByRole('article').filter({ hasText: topic })).toHaveCount(1)

  await b.page.goto(`/explore?q=${topic}`)
  await expect(async () => {
    await b.page.reload()
    await expect(tweetCard(b.page, `friend says ${topic}`)).toBeVisible({ timeout: 2_000 })
  }).toPass({ timeout: 30_000 })
  await expect(tweetCard(b.page, `blocked says ${topic}`)).toHaveCount(0)
  await b.context.close()
})

test('a bad sign-in shows the server\'s message, and a good one lands on the home timeline', async ({ page, request }) => {
  const account = await newAccount(request)
  const refused = await request.post('/users/login', { data: { username: account.username, password: 'not-the-password' } })
  const problem = await refused.json()
  expect(problem.code).toBe('AUTH_BAD_CREDENTIALS')

  await page.goto('/signin')
  await page.getByLabel('Username or email').fill(account.username)
  await page.getByLabel('Password').fill('not-the-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toHaveText(problem.detail)
  await expect(page).toHaveURL(/\/signin/)
  await signIn(page, account)
})

test('sign-up shows the server\'s message beside the field it names', async ({ page, request }) => {
  const taken = await newAccount(request)
  await page.goto('/signup')
  await page.getByLabel('Username').fill(taken.username)
  await page.getByLabel('Email').fill(`${word()}@example.com`)
  await page.getByLabel('Password').fill('a-long-password')
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.locator('#field-username-error')).toContainText(/taken/i)
})

test('when the login ends, the next page returns to sign-in and the draft is still there after signing in again', async ({ page, request }) => {
  const account = await newAccount(request)
  await signIn(page, account)
  const draft = `A thought in progress ${word()}`
  await page.getByLabel("What's happening?").fill(draft)
  // The login ends elsewhere (a sign-out in another place revokes its refresh tokens at once).
  const ended = await page.evaluate(async () => {
    const response = await fetch('/users/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: sessionStorage.getItem('starling.refresh') }) })
    return response.status
  })
  expect(ended).toBe(204)
  // A reload must refresh (the access token lives in memory only), and the refresh is refused.
  await page.reload()
  await expect(page).toHaveURL(/\/signin\?next=%2Fhome/)
  await expect(page.getByRole('status')).toContainText('Your session has ended')
  await page.getByLabel('Username or email').fill(account.username)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByLabel("What's happening?")).toHaveValue(draft)
})

test('a reload while the tokens are being renewed keeps the person signed in', async ({ page, request }) => {
  const account = await newAccount(request)
  await signIn(page, account)
  // The next reload renews the tokens; the server answers, but the page is reloaded again before
  // the answer reaches it, so the new refresh token is lost and the spent one is all the tab has.
  let delivered = false
  await page.route('**/users/refresh', async (route) => {
    const answer = await route.fetch()
    delivered = answer.ok()
    // Held: the reload below abandons this request.
    await new Promise(() => {})
  })
  await page.reload({ waitUntil: 'commit' })
  await expect.poll(() => delivered).toBe(true)
  await page.unrouteAll({ behavior: 'ignoreErrors' })
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible()
  // And the tab goes on renewing: one more reload is still signed in.
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible()
})
