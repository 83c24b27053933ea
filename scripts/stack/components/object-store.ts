import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { ensureBucket, s3Client, type S3Settings } from '../../../services/media/src/store/s3-object-store.ts'
import { stack } from '../config.ts'
import { logFile, startDaemon, stopDaemon, waitUntil } from '../process.ts'
import { ownedDir } from '../provision.ts'
import { goTool } from './tools.ts'

/** The bucket Starling keeps pictures in: uploads/ private, media/ public (see the media service). */
export const MEDIA_BUCKET = 'starling-media'
const REGION = 'us-east-1'

export const objectStoreUrl = () => `http://127.0.0.1:${stack.ports.objectStore}`

/** The store's root credentials, made once per stack and kept in .stack/secrets (git-ignored). */
export function objectStoreCredentials(): { accessKeyId: string; secretAccessKey: string } {
  const file = path.join(stack.dir, 'secrets', 's3-root.json')
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
    const credentials = { accessKeyId: `STARLING${randomBytes(6).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64url') }
    fs.writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 })
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'))
}

/** What a client of the stack's store is given: where it is, the bucket, and how the gateway serves it. */
export function objectStoreSettings(gatewayUrl: string): S3Settings {
  return { endpoint: objectStoreUrl(), region: REGION, bucket: MEDIA_BUCKET, ...objectStoreCredentials(), publicUrl: `${gatewayUrl}/${MEDIA_BUCKET}` }
}

/** The same as environment variables: what the media service and the tests are configured with. */
export function objectStoreEnv(gatewayUrl: string): Record<string, string> {
  const settings = objectStoreSettings(gatewayUrl)
  return {
    S3_ENDPOINT: settings.endpoint,
    S3_REGION: settings.region,
    S3_BUCKET: settings.bucket,
    S3_ACCESS_KEY_ID: settings.accessKeyId,
    S3_SECRET_ACCESS_KEY: settings.secretAccessKey,
    S3_PUBLIC_URL: settings.publicUrl,
  }
}

/**
 * versitygw (built from the Go module proxy), an S3-compatible gateway over a folder: its posix
 * backend keeps each bucket as a directory under .stack/data/objects. It listens on 127.0.0.1 only
 * (its default is every interface) and runs as the stack user.
 */
export const objectStore = {
  name: 'versitygw',
  async start() {
    const dir = ownedDir(path.join(stack.data, 'objects'))
    const { accessKeyId, secretAccessKey } = objectStoreCredentials()
    startDaemon({
      name: 'versitygw',
      command: goTool('versitygw'),
      args: ['--port', `127.0.0.1:${stack.ports.objectStore}`, '--region', REGION, '--health', '/health', '--quiet', 'posix', dir],
      // Credentials in the environment, not on the command line (where ps shows them).
      env: { PATH: process.env.PATH, ROOT_ACCESS_KEY_ID: accessKeyId, ROOT_SECRET_ACCESS_KEY: secretAccessKey },
      unprivileged: true,
    })
  },
  async ready() {
    await waitUntil('versitygw', async () => (await fetch(`${objectStoreUrl()}/health`)).ok, stack.readyTimeoutMs, logFile('versitygw'))
    const settings = objectStoreSettings('')
    await ensureBucket(s3Client(settings), settings.bucket)
  },
  stop: () => stopDaemon('versitygw'),
}
