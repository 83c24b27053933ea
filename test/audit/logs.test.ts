import { describe, expect, it } from 'vitest'
import { logsOfThisRun } from '../setup/logs.ts'

// After every other test (the audit project runs last): whatever the suite sent, no secret it
// used made it into a log of the stack (services, nginx, the servers).
const SECRETS: [string, RegExp][] = [
  ['an access token (a JWT)', /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/],
  ['a password of a test account', /pw-[0-9a-f]{8}-[0-9a-f]{4}-/],
  ['a password of a test sign-up', /correct horse battery|long enough secret/],
  ['a refresh token in a body', /"refresh_token"\s*:\s*"(?!\[redacted\])[A-Za-z0-9_-]{20,}"/],
  ['a token in a URL', /[?&](access_token|refresh_token|token)=(?!\[redacted\])[^&\s"]{8,}/i],
]

describe('the logs of this run', () => {
  it('hold no access token, refresh token or password', () => {
    const found = Object.entries(logsOfThisRun()).flatMap(([file, text]) => SECRETS.flatMap(([what, pattern]) => {
      const match = pattern.exec(text)
      if (!match) return []
      const line = text.slice(text.lastIndexOf('\n', match.index) + 1, text.indexOf('\n', match.index)).slice(0, 300)
      return [`${file}: ${what}: ${line}`]
    }))
    expect(found).toEqual([])
  })
})
