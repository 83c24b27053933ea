import { describe, expect, it } from 'vitest'
import { serviceOf } from './client.ts'

// The gateway's routes (nginx/nginx.conf.template; test/e2e/gateway.test.ts checks them there) for
// the paths the world client calls straight at the services.
describe('serviceOf', () => {
  it.each([
    ['/users/register', 'user'],
    ['/users/login', 'user'],
    ['/users/123', 'user'],
    ['/users/123/tweets', 'tweet'],
    ['/users/123/tweets?limit=5', 'tweet'],
    ['/tweets/', 'tweet'],
    ['/tweets/123/like', 'tweet'],
    ['/follow/', 'follower'],
    ['/followers/123', 'follower'],
    ['/timelines/123?limit=20', 'timeline'],
  ])('sends %s to the %s service, as the gateway does', (path, service) => {
    expect(serviceOf(path)).toBe(service)
  })

  it('refuses a path it has no route for rather than guessing', () => {
    expect(() => serviceOf('/search/?q=x')).toThrow(/no service for \/search/)
  })
})
