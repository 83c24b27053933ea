import type { ObjectStore } from './object-store.ts'

/** An object store in memory, for unit tests; `policies` keeps what each upload form allowed. */
export function createMemoryObjectStore(publicBase = 'http://gateway/starling-media') {
  const objects = new Map<string, { body: Buffer; contentType: string }>()
  const policies = new Map<string, { contentType: string; maxBytes: number }>()
  const store: ObjectStore = {
    async presignUpload({ key, contentType, maxBytes }) {
      policies.set(key, { contentType, maxBytes })
      return { url: publicBase, fields: { key, 'Content-Type': contentType, Policy: 'signed' } }
    },
    size: async (key) => objects.get(key)?.body.length,
    read: async (key) => objects.get(key)?.body,
    async write(key, body, contentType) { objects.set(key, { body, contentType }) },
    async remove(keys) { for (const key of keys) objects.delete(key) },
    publicUrl: (key) => `${publicBase}/${key}`,
  }
  return Object.assign(store, { objects, policies })
}
