import { randomUUID } from 'node:crypto'
import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test'

export interface Account { id: string; username: string; password: string; display_name: string; token: string }

/** A new account made through the API (the browser tests are about the client, not sign-up's cost). */
export async function newAccount(request: APIRequestContext, name = 'Browser'): Promise<Account> {
  const username = `b_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  const password = `pw-${randomUUID()}`
  const display_name = `${name} ${username.slice(2, 6)}`
  const registered = await request.post('/users/register', { data: { username, email: `${username}@example.com`, password, display_name } })
  expect(registered.status(), await registered.text()).toBe(201)
  const session = await (await request.post('/users/login', { data: { username, password } })).json()
  return { id: session.user.id, username, password, display_name, token: session.access_token }
}

/** Calls the API as an account, for setting a scene the test is not about. */
export async function as(request: APIRequestContext, account: Account, method: 'POST' | 'PATCH' | 'DELETE', path: string, data?: unknown) {
  const response = await request.fetch(path, { method, data, headers: { authorization: `Bearer ${account.token}` } })
  expect(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`).toBe(true)
  return response.status() === 204 ? undefined : response.json()
}

/**
 * A picture of the account's, through the API as the client sends one (policy, form, complete),
 * once the media service has processed it; then the services that take pictures are asked until
 * they know it is ready (`use`, e.g. posting the tweet it goes on).
 */
export async function withPicture<T>(request: APIRequestContext, account: Account, png: Buffer, altText: string, use: (mediaId: string) => Promise<T>): Promise<T> {
  const media = await as(request, account, 'POST', '/media', { content_type: 'image/png', size: png.length, alt_text: altText })
  const sent = await request.post(media.upload.url, { multipart: { ...media.upload.fields, file: { name: 'picture.png', mimeType: 'image/png', buffer: png } } })
  expect(sent.status(), await sent.text()).toBe(204)
  await as(request, account, 'POST', `/media/${media.id}/complete`)
  let result: T | undefined
  await expect(async () => { result = await use(media.id) }).toPass({ timeout: 30_000 })
  return result!
}

/** Signs in through the client's form, as a person would, and waits for the home timeline. */
export async function signIn(page: Page, account: Account) {
  await page.goto('/signin')
  await page.getByLabel('Username or email').fill(account.username)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible()
}

/** A signed-in page in a browser context of its own (its own storage, its own socket). */
export async function signedIn(browser: Browser, account: Account, viewport?: { width: number; height: number }) {
  const context = await browser.newContext(viewport ? { viewport } : {})
  const page = await context.newPage()
  await signIn(page, account)
  return { context, page }
}

/** A tweet on the page, found by its text. */
export const tweetCard = (page: Page, text: string) => page.getByRole('article').filter({ hasText: text })
