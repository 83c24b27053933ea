import { describe, expect, it } from 'vitest'
import { duplicateKey } from './json-body.ts'

describe('duplicateKey', () => {
  it('finds a key given twice in one object, however it is spelled', () => {
    expect(duplicateKey('{"text":"a","text":"b"}')).toBe('text')
    expect(duplicateKey('{"a":1,"\\u0061":2}')).toBe('a')
    expect(duplicateKey('{"x":{"y":1,"z":[1,{"k":1,"k":2}]}}')).toBe('k')
  })

  it('lets the same key through in different objects and strings that look like keys', () => {
    expect(duplicateKey('{"a":{"a":1},"b":[{"a":1},{"a":2}]}')).toBeUndefined()
    expect(duplicateKey('{"a":"\\"a\\":1,","b":"{\\"b\\":2}"}')).toBeUndefined()
    expect(duplicateKey('["a","a",{"a":"a"}]')).toBeUndefined()
    expect(duplicateKey('"a"')).toBeUndefined()
  })
})
