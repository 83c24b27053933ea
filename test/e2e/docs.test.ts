import { describe, expect, it } from 'vitest'
import { testEnv } from '../setup/env.ts'
import { gateway } from '../setup/http.ts'

// The API reference at /docs (web/docs): a page of this origin's own files, under a policy that
// lets it reach this origin only, over the merged OpenAPI document its "Try it out" calls.

const denyAll = "default-src 'none'; frame-ancestors 'none'"

/** A policy as directive -> sources. */
function directives(policy: string | null) {
  return new Map((policy ?? '').split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...sources] = d.split(/\s+/)
    return [name!, sources] as const
  }))
}

/** Every src and href in the page, and whether each <script> has one. */
function references(html: string) {
  const urls = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!)
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!)
  return { urls, inlineScripts: scripts.filter((attributes) => !/\ssrc="/.test(attributes)).length }
}

const sameOrigin = (url: string) => new URL(url, testEnv.gatewayUrl).origin === new URL(testEnv.gatewayUrl).origin

describe('the API reference at /docs', () => {
  it.each(['/docs', '/docs/'])('answers %s with the page, under its own strict policy', async (path) => {
    const response = await fetch(`${testEnv.gatewayUrl}${path}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await response.text()).toContain('<title>Starling API reference</title>')
    const policy = directives(response.headers.get('content-security-policy'))
    expect(policy.get('default-src')).toEqual(["'none'"])
    expect(policy.get('script-src')).toEqual(["'self'"])
    expect(policy.get('style-src')).toEqual(["'self'"])
    expect(policy.get('connect-src')).toEqual(["'self'"])
    expect(policy.get('img-src')).toEqual(["'self'", 'data:'])
    expect(policy.get('frame-ancestors')).toEqual(["'none'"])
    // A location with add_header of its own drops the server's: these are repeated there.
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/)
  })

  it('loads only files of this origin, each with 200 and its media type, and no inline script', async () => {
    const html = await (await fetch(`${testEnv.gatewayUrl}/docs`)).text()
    const { urls, inlineScripts } = references(html)
    expect(inlineScripts).toBe(0)
    const scripts = urls.filter((u) => /^\/assets\/.+\.js$/.test(u))
    const styles = urls.filter((u) => /^\/assets\/.+\.css$/.test(u))
    expect(scripts.length, `scripts in ${urls.join(' ')}`).toBeGreaterThan(0)
    expect(styles.length, `stylesheets in ${urls.join(' ')}`).toBeGreaterThan(0)
    expect(urls.filter((u) => !u.startsWith('#') && !sameOrigin(u))).toEqual([])
    for (const url of urls.filter((u) => !u.startsWith('#'))) {
      const response = await fetch(`${testEnv.gatewayUrl}${url}`)
      expect(response.status, url).toBe(200)
      if (url.endsWith('.js')) expect(response.headers.get('content-type'), url).toMatch(/javascript/)
      if (url.endsWith('.css')) {
        expect(response.headers.get('content-type'), url).toMatch(/^text\/css/)
        // Fonts, images and imports of the stylesheet are inline data or files of this origin.
        const css = await response.text()
        expect(css).not.toMatch(/@import/)
        expect([...css.matchAll(/url\(\s*["']?([^"')]+)/g)].map((m) => m[1]!).filter((u) => !u.startsWith('data:') && !sameOrigin(u))).toEqual([])
      }
    }
  })

  it('serves an OpenAPI document whose "Try it out" calls this gateway with a bearer token', async () => {
    const { status, body } = await gateway('/docs/openapi.json')
    expect(status).toBe(200)
    expect(body.servers).toEqual([{ url: '/' }])
    const schemes = Object.entries(body.components.securitySchemes as Record<string, { type: string; scheme?: string }>)
    const bearer = schemes.find(([, s]) => s.type === 'http' && s.scheme === 'bearer')
    expect(bearer, 'an http bearer security scheme').toBeDefined()
    // ...and the endpoints that need a token say so, which is what puts the lock on them.
    expect(body.paths['/users/me'].get.security).toContainEqual({ [bearer![0]]: [] })
  })

  it('serves the AsyncAPI document the page draws', async () => {
    const { status, body } = await gateway('/docs/asyncapi.json')
    expect(status).toBe(200)
    expect(body.asyncapi).toMatch(/^3\./)
    expect(Object.values(body.channels as Record<string, { address: string }>).map((c) => c.address)).toEqual(expect.arrayContaining(['starling.tweets.v1', '/ws']))
  })

  it.each(['/users/123', '/docs/openapi.json', '/docs/asyncapi.json', '/docs/nowhere'])('keeps the deny-all policy on %s', async (path) => {
    const response = await gateway(path)
    expect(response.headers.get('content-security-policy')).toBe(denyAll)
  })
})
