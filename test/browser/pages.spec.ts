import fs from 'node:fs'
import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import sharp from 'sharp'
import { as, newAccount, signIn, withPicture, type Account } from './fixtures.ts'

// Every page of the client at a desktop's and a phone's width: no serious accessibility violation
// (axe-core, WCAG 2.1 A and AA), and a screenshot for the README (web/screenshots/).
const SHOTS = path.join(import.meta.dirname, '../../web/screenshots')
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const

interface World { ada: Account; grace: Account; linus: Account; tweetId: string }

async function world(request: Parameters<typeof newAccount>[0]): Promise<World> {
  const [ada, grace, linus] = await Promise.all([newAccount(request, 'Ada'), newAccount(request, 'Grace'), newAccount(request, 'Linus')])
  await as(request, ada, 'POST', '/follow/', { user_id: grace.id })
  await as(request, ada, 'POST', '/follow/', { user_id: linus.id })
  await as(request, grace, 'POST', '/follow/', { user_id: ada.id })
  await as(request, linus, 'POST', '/tweets/', { text: 'Compilers are just very patient translators. #devlife' })
  const first = await as(request, grace, 'POST', '/tweets/', { text: `Shipped the fanout worker today: pushes for most, merges at read for the big accounts. #kafka #starling` })
  await as(request, ada, 'POST', '/tweets/', { text: `@${grace.username} lovely, how far does it reach?`, reply_to_id: first.id })
  // Grace has a profile picture, and her coffee a photo (drawn here: a cup on a warm gradient).
  await withPicture(request, grace, await drawn(AVATAR), 'Grace', (id) => as(request, grace, 'PATCH', '/users/me', { avatar_media_id: id }))
  await withPicture(request, grace, await drawn(COFFEE), 'A cup of coffee on a wooden table', (id) => as(request, grace, 'POST', '/tweets/', { text: 'Coffee, then latency budgets. ☕ #starling', media_ids: [id] }))
  await as(request, grace, 'POST', `/tweets/${first.id}/like`)
  await as(request, grace, 'POST', '/messages/', { recipient_id: ada.id, text: 'Are you coming to the Kafka meetup on Thursday?' })
  await as(request, ada, 'POST', '/messages/', { recipient_id: grace.id, text: 'Yes! I will bring the benchmark charts.' })
  return { ada, grace, linus, tweetId: first.id }
}

const pages: { name: string; signedIn: boolean; url: (w: World) => string; ready: (page: Page, w: World) => Promise<void> }[] = [
  { name: 'sign-in', signedIn: false, url: () => '/signin', ready: (p) => expect(p.getByRole('button', { name: 'Sign in' })).toBeVisible() },
  { name: 'sign-up', signedIn: false, url: () => '/signup', ready: (p) => expect(p.getByRole('button', { name: 'Create account' })).toBeVisible() },
  { name: 'home', signedIn: true, url: () => '/home', ready: (p) => expect(p.getByRole('article').filter({ hasText: 'Coffee, then latency budgets' })).toBeVisible() },
  { name: 'profile', signedIn: true, url: (w) => `/@${w.grace.username}`, ready: (p) => expect(p.getByRole('button', { name: 'Unfollow' })).toBeVisible() },
  { name: 'tweet', signedIn: true, url: (w) => `/status/${w.tweetId}`, ready: (p) => expect(p.getByRole('article').filter({ hasText: 'how far does it reach' })).toBeVisible() },
  { name: 'search', signedIn: true, url: () => '/explore?q=%23starling&type=tweets', ready: (p) => expect(p.getByRole('article').first()).toBeVisible({ timeout: 30_000 }) },
  { name: 'notifications', signedIn: true, url: () => '/notifications', ready: (p) => expect(p.getByRole('link', { name: /liked your tweet|replied|followed you/ }).first()).toBeVisible() },
  { name: 'messages', signedIn: true, url: () => '/inbox', ready: (p) => expect(p.getByRole('link', { name: /Grace/ })).toBeVisible() },
  { name: 'conversation', signedIn: true, url: (w) => `/inbox/${w.grace.id}`, ready: (p) => expect(p.getByText('I will bring the benchmark charts')).toBeVisible() },
]

const AVATAR = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><rect width="400" height="400" fill="#1557b0"/><circle cx="200" cy="160" r="80" fill="#f4c9a8"/><rect x="90" y="260" width="220" height="160" rx="100" fill="#f0a500"/></svg>`
const COFFEE = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#f6d6a8"/><stop offset="1" stop-color="#8a5a36"/></linearGradient></defs><rect width="1200" height="800" fill="url(#g)"/><ellipse cx="600" cy="560" rx="300" ry="60" fill="#5b3a22"/><rect x="420" y="300" width="360" height="260" rx="40" fill="#ffffff"/><ellipse cx="600" cy="310" rx="180" ry="34" fill="#4a2c17"/><path d="M780 360 q90 10 70 90 q-10 60 -70 60" fill="none" stroke="#ffffff" stroke-width="34"/></svg>`
const drawn = (svg: string) => sharp(Buffer.from(svg)).png().toBuffer()

let w: World
test.beforeAll(async ({ request }) => {
  w = await world(request)
  fs.mkdirSync(SHOTS, { recursive: true })
})

for (const [viewport, size] of Object.entries(VIEWPORTS)) {
  test(`every page at ${viewport} width (${size.width} px) has no serious accessibility violation`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: size, deviceScaleFactor: 1, colorScheme: 'light' })
    const page = await context.newPage()
    let signedIn = false
    for (const p of pages) {
      if (p.signedIn && !signedIn) {
        await signIn(page, w.ada)
        signedIn = true
      }
      // Search follows the event stream: reload until the index has the world's tweets.
      await expect(async () => {
        await page.goto(p.url(w))
        await p.ready(page, w)
      }, p.name).toPass({ timeout: 40_000 })
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), `${p.name} at ${viewport}`).toEqual([])
      await page.screenshot({ path: path.join(SHOTS, `${p.name}-${viewport}.png`) })
    }
    await context.close()
  })
}
