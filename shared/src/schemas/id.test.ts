import { describe, expect, it } from 'vitest'
import { decimalsUpTo, isId } from './id.ts'

describe('ids', () => {
  it('take every 64-bit id and nothing past it', () => {
    for (const id of ['0', '1', '10', '999999999999999999', '1000000000000000000', '9223372036854775807', '9223372036854775799', '9123372036854775808'])
      expect(isId(id), id).toBe(true)
    for (const id of ['9223372036854775808', '9223372036854775810', '9300000000000000000', '99999999999999999999', '18446744073709551615', '01', '', '-1', '1.0', ' 1'])
      expect(isId(id), id).toBe(false)
  })

  it('match the numbers up to a bound exactly', () => {
    for (const max of [0n, 7n, 10n, 99n, 100n, 1234n, 5000n]) {
      const pattern = new RegExp(decimalsUpTo(max))
      for (let n = 0n; n <= max + 150n; n++) expect(pattern.test(String(n)), `${n} ≤ ${max}`).toBe(n <= max)
    }
  })
})
