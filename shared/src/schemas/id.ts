import Type from 'typebox'

const INT64_MAX = 2n ** 63n - 1n

/**
 * Decimal numbers from 0 to `max`, without leading zeros, as one regular expression: the schema
 * alone then refuses an id past BIGINT (a 400), which would otherwise reach SQL (a 500).
 */
export function decimalsUpTo(max: bigint): string {
  const digits = max.toString()
  const shorter = digits.length > 1 ? [`[1-9][0-9]{0,${digits.length - 2}}`] : []
  // Same length: equal to `max` up to position i, then a smaller digit, then anything.
  const sameLength = [...digits].flatMap((digit, i) => {
    const lowest = i === 0 ? 1 : 0
    const highest = Number(digit) - 1
    if (highest < lowest) return []
    const range = lowest === highest ? String(lowest) : `[${lowest}-${highest}]`
    const rest = digits.length - i - 1
    return [`${digits.slice(0, i)}${range}${rest > 0 ? `[0-9]{${rest}}` : ''}`]
  })
  return `^(0|${[...shorter, ...sameLength, digits].join('|')})$`
}

export const ID_PATTERN = decimalsUpTo(INT64_MAX)
const idPattern = new RegExp(ID_PATTERN)

/**
 * Every id in Starling (users, tweets, conversations, messages, notifications): time-ordered
 * 64-bit, sent as a string (JSON numbers lose precision past 2^53), one spelling each.
 */
export const Id = Type.String({ pattern: ID_PATTERN, description: 'time-ordered 64-bit id as a string' })

/** An id some row could have (for ids that do not come through a schema: cursors, events). */
export const isId = (id: string) => idPattern.test(id)
