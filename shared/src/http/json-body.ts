/**
 * The first key that appears twice in one object of a JSON text, if any. JSON.parse keeps the
 * last and says nothing, so two readers of one body could disagree about what it says; a body
 * with a duplicate is refused instead. The text must already be valid JSON.
 */
export function duplicateKey(json: string): string | undefined {
  // One entry per open container: the keys seen so far in an object, null for an array.
  const open: (Set<string> | null)[] = []
  let atKey = false
  for (let i = 0; i < json.length; i++) {
    const c = json[i]
    if (c === '"') {
      let end = i + 1
      while (json[end] !== '"') end += json[end] === '\\' ? 2 : 1
      const keys = open.at(-1)
      if (atKey && keys) {
        // Unescaped, so "a" and "\u0061" are the same key.
        const key = JSON.parse(json.slice(i, end + 1)) as string
        if (keys.has(key)) return key
        keys.add(key)
        atKey = false
      }
      i = end
    } else if (c === '{') {
      open.push(new Set())
      atKey = true
    } else if (c === '[') {
      open.push(null)
    } else if (c === '}' || c === ']') {
      open.pop()
      atKey = false
    } else if (c === ',') {
      atKey = open.at(-1) instanceof Set
    }
  }
  return undefined
}
