import { describe, expect, it } from 'vitest'
import { waitFor } from '@starling/shared/testing'
import { newAccount } from '../setup/accounts.ts'
import { testEnv } from '../setup/env.ts'
import { gateway } from '../setup/http.ts'
import { logsOfThisRun } from '../setup/logs.ts'

// Clients that put a secret in a URL: the gateway refuses our own tokens there outright, and
// every log (the gateway's and the services') shows the values of secret parameters redacted.
describe('secrets in query strings', () => {
  it('refuses an access or refresh token in the URL with 400 TOKEN_IN_URL, and logs it redacted', async () => {
    const account = await newAccount('leaky')
    for (const name of ['access_token', 'Refresh_Token']) {
      const response = await gateway(`/users/${account.id}?${name}=${account.token}`)
      expect(response.status).toBe(400)
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(response.body.code).toBe('TOKEN_IN_URL')
    }
    await waitFor(() => (logsOfThisRun()['nginx.log'] ?? '').includes(`/users/${account.id}?access_token=[redacted]`), { what: 'the refused request in the gateway log' })
    expect(JSON.stringify(logsOfThisRun())).not.toContain(account.token)
  })

  it('refuses other secrets in the URL too, and a service logs them redacted where one reaches it directly', async () => {
    const account = await newAccount('leaky')
    const marker = `q${Date.now()}`
    const refused = await gateway(`/search/?q=${marker}&token=${account.token}&password=${account.password}`)
    expect(refused.status).toBe(400)
    expect(refused.body.code).toBe('TOKEN_IN_URL')
    // Past the gateway (another service calling, say), the service's own log redacts them.
    expect((await fetch(`${testEnv.serviceUrl('search')}/search/?q=${marker}&token=${account.token}&password=${account.password}`)).status).toBe(400)
    await waitFor(() => {
      const logs = logsOfThisRun()
      return logs['nginx.log']?.includes(`q=${marker}&token=[redacted]&password=[redacted]`) && logs['service-search.log']?.includes(`q=${marker}&token=[redacted]&password=[redacted]`)
    }, { what: 'the requests in the gateway and the search service logs' })
    const all = JSON.stringify(logsOfThisRun())
    expect(all).not.toContain(account.token)
    expect(all).not.toContain(account.password)
  })
})
