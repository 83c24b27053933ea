import Type, { type TStringOptions } from 'typebox'

/**
 * Text PostgreSQL can store and JSON can carry: no NUL (which TEXT refuses) and no unpaired UTF-16
 * surrogate (which JSONB refuses, and which is no character at all). Schemas are compiled with
 * the `u` flag, where a class of surrogates matches only the unpaired ones.
 */
export const STORABLE_TEXT = '^[^\\u0000\\uD800-\\uDFFF]*$'
const storable = new RegExp(STORABLE_TEXT, 'u')

/** Every free-text field a client sends (tweets, messages, names, bios, passwords). */
export const Text = (options: TStringOptions = {}) => Type.String({ ...options, pattern: STORABLE_TEXT })

/** For text that does not come through a schema, or where a refusal must look like any other miss. */
export const isStorableText = (text: string) => storable.test(text)

/** The field error a client sees instead of the pattern itself. */
export const STORABLE_TEXT_MESSAGE = 'must not contain NUL characters or unpaired UTF-16 surrogates'

/**
 * The headers of a write a client may retry (Stripe's and Mastodon's Idempotency-Key): the same
 * key with the same body answers with the first result; `first` says what that is.
 */
export const IdempotencyHeaders = (first: string) => Type.Object({
  'idempotency-key': Type.Optional(Type.String({
    pattern: '^[A-Za-z0-9_-]{1,128}$', description: `a retry with the same key and body returns ${first}`,
  })),
})
