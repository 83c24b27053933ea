import Type from 'typebox'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, Port, PostgresEnv } from './load-config.ts'

const Schema = Type.Object({ PORT: Port(3001), ...PostgresEnv, VERBOSE: Type.Boolean({ default: false }) })

describe('loadConfig', () => {
  it('applies defaults and converts strings', () => {
    const config = loadConfig(Schema, { DATABASE_URL: 'postgres://x/y', VERBOSE: 'true' })
    expect(config).toEqual({ PORT: 3001, DATABASE_URL: 'postgres://x/y', PG_POOL_MAX: 10, PG_CONNECT_TIMEOUT_MS: 2000, PG_QUERY_TIMEOUT_MS: 15_000, VERBOSE: true })
  })

  it('returns a frozen object', () => {
    const config = loadConfig(Schema, { DATABASE_URL: 'postgres://x/y' })
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('names a missing variable', () => {
    expect(() => loadConfig(Schema, {})).toThrow(/DATABASE_URL is required/)
  })

  it('names a variable with a bad value and shows the value', () => {
    try {
      loadConfig(Schema, { DATABASE_URL: 'postgres://x/y', PORT: 'eighty' })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).problems.join()).toMatch(/PORT="eighty"/)
    }
  })

  it('rejects an out-of-range port', () => {
    expect(() => loadConfig(Schema, { DATABASE_URL: 'postgres://x/y', PORT: '70000' })).toThrow(/PORT="70000"/)
  })

  it('ignores variables the schema does not name', () => {
    const config = loadConfig(Schema, { DATABASE_URL: 'postgres://x/y', PATH: '/bin' })
    expect(config).not.toHaveProperty('PATH')
  })
})
