// The API reference at /docs: Swagger UI over the gateway's merged OpenAPI document, and the
// AsyncAPI document (Kafka topics, the realtime socket) drawn by hand below. Everything is bundled
// at build time; the page talks to this origin only (its Content-Security-Policy says so too).
import SwaggerUI from 'swagger-ui-dist/swagger-ui-es-bundle.js'
import 'swagger-ui-dist/swagger-ui.css'
import './docs.css'

const swaggerRoot = document.getElementById('swagger-ui')!
SwaggerUI({
  domNode: swaggerRoot,
  // The document's servers is [{ url: '/' }] (nginx/gateway.js): "Try it out" calls this gateway.
  url: '/docs/openapi.json',
  // The default sends the document to validator.swagger.io for a badge.
  validatorUrl: null,
  // A ?url= or ?configUrl= must not point this page at somebody else's document.
  queryConfigEnabled: false,
  deepLinking: true,
  tryItOutEnabled: true,
  // The access token stays in this page's memory, never in localStorage.
  persistAuthorization: false,
  displayRequestDuration: true,
  filter: true,
  onComplete: () => {
    swaggerRoot.setAttribute('aria-busy', 'false')
    // Its servers <select> sits in a <label> with no text of its own.
    document.getElementById('servers')?.setAttribute('aria-label', 'Server')
  },
})

// AsyncAPI 3.0, as much of it as buildAsyncApi (shared/src/events) writes. Drawn here rather than
// with @asyncapi/react-component, which brings a React, a parser and several MB of its own for a
// document of eight channels.
interface Schema {
  $ref?: string
  type?: string | string[]
  const?: unknown
  enum?: unknown[]
  format?: string
  pattern?: string
  description?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  anyOf?: Schema[]
  oneOf?: Schema[]
}
interface Ref { $ref: string }
interface Message { $ref?: string; name?: string; title?: string; summary?: string; description?: string; contentType?: string; headers?: Schema; payload?: Schema }
interface Channel { address?: string; title?: string; description?: string; servers?: Ref[]; messages?: Record<string, Message> }
interface Operation { action: 'send' | 'receive'; channel: Ref; summary?: string; messages?: Ref[] }
interface Server { host: string; protocol: string; description?: string }
interface AsyncApiDocument {
  asyncapi: string
  info: { title: string; version: string; description?: string }
  defaultContentType?: string
  servers?: Record<string, Server>
  channels?: Record<string, Channel>
  operations?: Record<string, Operation>
}

/** Follows a local $ref (#/a/b), and the $ref it lands on, to the object itself. */
function deref<T extends object>(doc: AsyncApiDocument, value: T | Ref): T {
  let current: unknown = value
  for (let hops = 0; hops < 8 && current !== null && typeof current === 'object' && '$ref' in current; hops++) {
    const ref = (current as Ref).$ref
    if (!ref.startsWith('#/')) throw new Error(`asyncapi.json: only local references are drawn, not ${ref}`)
    current = ref.slice(2).split('/').map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc)
    if (current === undefined) throw new Error(`asyncapi.json: ${ref} points at nothing`)
  }
  return current as T
}

type Child = Node | string | null | undefined | false
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes ?? {})) element.setAttribute(name, value)
  for (const child of children) if (child) element.append(child)
  return element
}

const anchor = (...parts: string[]) => `events-${parts.join('-').replace(/[^A-Za-z0-9_-]/g, '-')}`

function typeOf(doc: AsyncApiDocument, schema: Schema): string {
  const variants = schema.anyOf ?? schema.oneOf
  if (variants) return variants.map((v) => typeOf(doc, deref(doc, v))).join(' | ')
  if (schema.const !== undefined) return JSON.stringify(schema.const)
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type ?? 'any'
  return type === 'array' && schema.items ? `${typeOf(doc, deref(doc, schema.items))}[]` : type
}

/** format, enum, lengths, bounds; a pattern only when it is short enough to read. */
function constraints(schema: Schema): string[] {
  const out: string[] = []
  if (schema.format) out.push(schema.format)
  if (schema.enum) out.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`)
  if (schema.minLength !== undefined) out.push(`≥ ${schema.minLength} characters`)
  if (schema.maxLength !== undefined) out.push(`≤ ${schema.maxLength} characters`)
  if (schema.minimum !== undefined) out.push(`≥ ${schema.minimum}`)
  if (schema.maximum !== undefined) out.push(`≤ ${schema.maximum}`)
  if (schema.pattern && schema.pattern.length <= 40) out.push(`matches ${schema.pattern}`)
  return out
}

/** The object's properties as a nested list: name, type, required, constraints, description. */
function propertyList(doc: AsyncApiDocument, schema: Schema): HTMLUListElement | null {
  const object = schema.type === 'array' && schema.items ? deref(doc, schema.items) : schema
  const properties = Object.entries(object.properties ?? {})
  if (properties.length === 0) return null
  const required = new Set(object.required ?? [])
  return h('ul', { class: 'schema' }, ...properties.map(([name, value]) => {
    const property = deref(doc, value)
    const notes = constraints(property)
    return h('li', null,
      h('code', { class: 'name' }, name), ' ',
      h('span', { class: 'type' }, typeOf(doc, property)),
      required.has(name) ? h('span', { class: 'required' }, 'required') : h('span', { class: 'optional' }, 'optional'),
      notes.length > 0 && h('span', { class: 'constraints' }, notes.join(' · ')),
      property.description && h('span', { class: 'description' }, property.description),
      propertyList(doc, property))
  }))
}

function schemaBlock(doc: AsyncApiDocument, label: string, schema: Schema) {
  const resolved = deref(doc, schema)
  const type = typeOf(doc, resolved)
  return h('div', { class: 'schema-block' },
    h('h6', null, label, type !== 'object' && ' ', type !== 'object' && h('span', { class: 'type' }, type)),
    resolved.description && h('p', null, resolved.description),
    propertyList(doc, resolved),
    h('details', null, h('summary', null, `${label}: JSON Schema`), h('pre', null, h('code', null, JSON.stringify(resolved, null, 2)))))
}

function renderAsyncApi(doc: AsyncApiDocument) {
  const channels = Object.entries(doc.channels ?? {})
  // Which way each message goes, from the operations that name it (AsyncAPI 3: "send" is the server's).
  const direction = new Map<string, string>()
  for (const operation of Object.values(doc.operations ?? {})) {
    for (const ref of operation.messages ?? []) direction.set(ref.$ref, operation.action === 'send' ? 'server to client' : 'client to server')
  }
  const servers = Object.entries(doc.servers ?? {})
  return [
    h('p', { class: 'lead' }, doc.info.description ?? '',
      ' ', h('span', null, `AsyncAPI ${doc.asyncapi}, version ${doc.info.version}; messages are ${doc.defaultContentType ?? 'JSON'}.`)),
    servers.length > 0 && h('h3', null, 'Servers'),
    servers.length > 0 && h('dl', { class: 'servers' }, ...servers.flatMap(([name, server]) => [
      h('dt', null, name),
      h('dd', null, h('code', null, `${server.protocol}://${server.host}`), server.description ? ` — ${server.description}` : ''),
    ])),
    h('h3', null, 'Channels'),
    h('nav', { 'aria-label': 'Channels' }, h('ul', { class: 'channel-index' }, ...channels.map(([key, channel]) =>
      h('li', null, h('a', { href: `#${anchor(key)}` }, channel.title ?? channel.address ?? key))))),
    ...channels.map(([key, channel]) => {
      const messages = Object.entries(channel.messages ?? {})
      return h('section', { class: 'channel', id: anchor(key), 'aria-labelledby': `${anchor(key)}-heading`, tabindex: '-1' },
        h('h4', { id: `${anchor(key)}-heading` }, channel.title ? `${channel.title} ` : '', h('code', null, channel.address ?? key)),
        channel.description && h('p', null, channel.description),
        messages.length === 0
          ? h('p', { class: 'empty' }, 'No message schema of its own (see the description).')
          : h('ul', { class: 'messages', 'aria-label': `Messages on ${channel.address ?? key}` }, ...messages.map(([messageKey, value]) => {
            const message = deref(doc, value)
            const way = direction.get(`#/channels/${key}/messages/${messageKey}`)
            return h('li', { class: 'message', id: anchor(key, messageKey) },
              h('h5', { class: 'message-title' },
                message.title ?? message.name ?? messageKey,
                way && h('span', { class: 'direction' }, way),
                message.contentType && h('span', { class: 'content-type' }, message.contentType)),
              (message.summary ?? message.description) && h('p', null, message.summary ?? message.description ?? ''),
              message.headers && schemaBlock(doc, 'Headers', message.headers),
              message.payload && schemaBlock(doc, 'Payload', message.payload))
          })))
    }),
  ]
}

const asyncRoot = document.getElementById('asyncapi')!
async function loadAsyncApi() {
  try {
    const response = await fetch('/docs/asyncapi.json', { headers: { accept: 'application/json' } })
    if (!response.ok) throw new Error(`GET /docs/asyncapi.json answered ${response.status}`)
    asyncRoot.replaceChildren(...renderAsyncApi(await response.json() as AsyncApiDocument).filter((node) => node !== false))
  } catch (error) {
    asyncRoot.replaceChildren(h('p', { class: 'status error', role: 'alert' }, `The AsyncAPI document could not be shown: ${(error as Error).message}`))
  } finally {
    asyncRoot.setAttribute('aria-busy', 'false')
  }
}
void loadAsyncApi()
