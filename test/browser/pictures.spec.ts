import { randomUUID } from 'node:crypto'
import { expect, test, type Locator } from '@playwright/test'
import sharp from 'sharp'
import { as, newAccount, signedIn, tweetCard } from './fixtures.ts'

/** The width of the image as decoded: 0 while it has not loaded (or may not load). */
const naturalWidth = (image: Locator) => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)

const picture = (width: number, height: number, color: { r: number; g: number; b: number }) =>
  sharp({ create: { width, height, channels: 3, background: color } }).png().toBuffer()

test('an author sets a profile picture and posts a picture with alt text; a follower sees both, and opens the picture', async ({ browser, request }) => {
  const [author, reader] = await Promise.all([newAccount(request, 'Painter'), newAccount(request, 'Viewer')])
  await as(request, reader, 'POST', '/follow/', { user_id: author.id })
  const a = await signedIn(browser, author)

  // The profile picture, from the author's own profile page.
  await a.page.goto(`/@${author.username}`)
  await a.page.getByLabel('Profile picture file').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: await picture(400, 400, { r: 20, g: 120, b: 200 }) })
  await expect(a.page.getByRole('button', { name: 'Remove picture' })).toBeVisible({ timeout: 30_000 })
  const avatar = a.page.locator('.profile img.avatar')
  await expect(avatar).toHaveAttribute('src', /\/starling-media\/media\/\d+\/preview\.webp$/)
  const avatarUrl = await avatar.getAttribute('src')

  // A tweet with a picture and its alt text, chosen with the picker.
  await a.page.getByRole('link', { name: 'Home', exact: true }).click()
  const text = `A picture from the browser ${randomUUID().slice(0, 8)}`
  await a.page.getByLabel("What's happening?").fill(text)
  await a.page.getByLabel('Pictures to add').setInputFiles({ name: 'sunset.png', mimeType: 'image/png', buffer: await picture(1200, 800, { r: 230, g: 120, b: 40 }) })
  // The draft shows the picture from the file itself, before anything is sent.
  const draft = a.page.getByRole('list', { name: 'Pictures to post' }).locator('img')
  await expect.poll(() => naturalWidth(draft)).toBe(1200)
  await a.page.getByLabel('Alt text for picture 1').fill('An orange sunset over the sea')
  await a.page.getByRole('button', { name: 'Tweet', exact: true }).click()
  const mine = tweetCard(a.page, text)
  await expect(mine.getByRole('img', { name: 'An orange sunset over the sea' })).toBeVisible({ timeout: 30_000 })

  // The follower sees it in the home timeline, with the author's picture beside the name.
  const b = await signedIn(browser, reader)
  const card = tweetCard(b.page, text)
  await expect(card).toBeVisible({ timeout: 20_000 })
  const preview = card.getByRole('img', { name: 'An orange sunset over the sea' })
  await expect(preview).toHaveAttribute('src', /\/preview\.webp$/)
  await expect(card.locator('header img.avatar')).toHaveAttribute('src', avatarUrl!)
  await expect.poll(() => naturalWidth(preview)).toBe(680)

  // The viewer shows the original with its alt text, and closes with Escape.
  await card.getByRole('button', { name: 'Open picture 1: An orange sunset over the sea' }).click()
  const viewer = b.page.getByRole('dialog', { name: 'Picture' })
  await expect(viewer).toBeVisible()
  const original = viewer.getByRole('img', { name: 'An orange sunset over the sea' })
  await expect(original).toHaveAttribute('src', /\/original\.webp$/)
  await expect.poll(() => naturalWidth(original)).toBe(1200)
  await b.page.keyboard.press('Escape')
  await expect(viewer).toBeHidden()
  await a.context.close()
  await b.context.close()
})

test('the compose box refuses a file that is not a picture, and a fifth picture, before sending anything', async ({ browser, request }) => {
  const author = await newAccount(request, 'Careful')
  const { page, context } = await signedIn(browser, author)
  const files = page.getByLabel('Pictures to add')
  await files.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') })
  await expect(page.getByRole('alert')).toHaveText('notes.txt is not a JPEG, PNG, WebP or GIF picture.')
  const png = await picture(10, 10, { r: 0, g: 0, b: 0 })
  await files.setInputFiles([1, 2, 3, 4, 5].map((n) => ({ name: `${n}.png`, mimeType: 'image/png', buffer: png })))
  await expect(page.getByRole('alert')).toHaveText('A tweet has at most 4 pictures.')
  await expect(page.getByRole('list', { name: 'Pictures to post' }).getByRole('listitem')).toHaveCount(4)
  await expect(page.getByRole('button', { name: 'Add pictures' })).toBeDisabled()
  await context.close()
})
