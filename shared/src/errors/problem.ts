import Type from 'typebox'

/** RFC 9457 problem document; the one error shape of every service and of the gateway. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    request_id: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { description: 'application/problem+json (RFC 9457)' },
)
export type Problem = Type.Static<typeof Problem>

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** `type` URIs point at the API reference; the code makes them stable and greppable. */
export const problemType = (code: string) => `https://starling.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`
