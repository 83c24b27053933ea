import { errors } from '../errors.ts'

/** Longer queries are refused by the route schema; this bounds the work of one search. */
export const MAX_QUERY_LENGTH = 200
/** Words (and operators such as from: or #tags) in one query. */
export const MAX_QUERY_TERMS = 16

// Control characters other than tab, newline and carriage return: nobody types them.
const CONTROL = /(?![\t\n\r])\p{Cc}/u

/** The codes a query that cannot be searched is refused with. */
export type QueryProblem = 'SEARCH_QUERY_EMPTY' | 'SEARCH_QUERY_INVALID' | 'SEARCH_QUERY_TOO_COMPLEX' | 'SEARCH_QUERY_TOO_LONG'

export const invalidQuery = (code: QueryProblem, detail: string) => errors[code](detail, { errors: [{ field: 'q', message: detail }] })

/**
 * The query split into its whitespace-separated terms, or a 400 when it is empty, has control
 * characters or too many terms. The terms are never turned into query DSL syntax: they only go
 * into `match`, `term` and `prefix` values, where nothing in them is an operator.
 */
export function queryTerms(q: string): string[] {
  if ([...q].length > MAX_QUERY_LENGTH) throw invalidQuery('SEARCH_QUERY_TOO_LONG', `A query has at most ${MAX_QUERY_LENGTH} characters.`)
  if (CONTROL.test(q)) throw invalidQuery('SEARCH_QUERY_INVALID', 'The query must not contain control characters.')
  const terms = q.split(/\s+/u).filter(Boolean)
  if (terms.length === 0) throw invalidQuery('SEARCH_QUERY_EMPTY', 'The query has nothing to look for.')
  if (terms.length > MAX_QUERY_TERMS) throw invalidQuery('SEARCH_QUERY_TOO_COMPLEX', `A query has at most ${MAX_QUERY_TERMS} terms; this one has ${terms.length}.`)
  return terms
}
