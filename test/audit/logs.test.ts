import { describe, expect, it } from 'vitest'
import { logsOfThisRun } from '../setup/logs.ts'
import { recordSecurityResult } from '../security/record.ts'

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
    const logs = logsOfThisRun()
    // Something to look at: the gateway's and every service's lines of this run.
    for (const name of ['nginx', 'service-user', 'service-tweet', 'service-follower', 'service-timeline', 'service-search', 'service-notification', 'service-dm']) {
      expect(logs[`${name}.log`]?.length ?? 0, `${name}.log of this run`).toBeGreaterThan(1000)
    }
    const found = Object.entries(logs).flatMap(([file, text]) => SECRETS.flatMap(([what, pattern]) => {
      const match = pattern.exec(text)
      if (!match) return []
      const line = text.slice(text.lastIndexOf('\n', match.index) + 1, text.indexOf('\n', match.index)).slice(0, 300)
      return [`${file}: ${what}: ${line}`]
    }))
    const lines = Object.values(logs).reduce((sum, text) => sum + text.split('\n').length - 1, 0)
    recordSecurityResult({ check: 'the logs of the whole run, for secrets', failures: found.length, notes: `${lines} lines in ${Object.keys(logs).length} logs; ${SECRETS.length} kinds of secret` })
    expect(found).toEqual([])
  })
})
