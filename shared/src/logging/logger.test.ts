import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { loggerOptions } from './logger.ts'

function capture() {
  const lines: string[] = []
  const logger = pino(loggerOptions('test', 'info'), { write: (line: string) => { lines.push(line) } })
  return { logger, text: () => lines.join('') }
}

describe('logger', () => {
  it('redacts passwords, tokens, emails and the Authorization header', () => {
    const { logger, text } = capture()
    logger.info({
      password: 'hunter2222', body: { password: 'hunter3333', email: 'ada@example.com', refresh_token: 'r-secret' },
      req: { headers: { authorization: 'Bearer a.b.c' } }, access_token: 'a-secret',
    }, 'login')
    for (const secret of ['hunter2222', 'hunter3333', 'ada@example.com', 'r-secret', 'Bearer a.b.c', 'a-secret']) {
      expect(text()).not.toContain(secret)
    }
    expect(text()).toContain('[redacted]')
  })

  it('redacts secrets in the query string of a logged request', () => {
    const { logger, text } = capture()
    logger.info({ req: { method: 'GET', url: '/ws?access_token=eyJ.a.b&last_event_id=7&Refresh_Token=r1&password=p' } }, 'incoming request')
    expect(JSON.parse(text()).req.url).toBe('/ws?access_token=[redacted]&last_event_id=7&Refresh_Token=[redacted]&password=[redacted]')
  })

  it('names the service on every line', () => {
    const { logger, text } = capture()
    logger.info('hello')
    expect(JSON.parse(text())).toMatchObject({ service: 'test', msg: 'hello' })
  })
})
