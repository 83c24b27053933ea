import { CreateBucketCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3'
import { createPresignedPost } from '@aws-sdk/s3-presigned-post'
import type { ObjectStore } from './object-store.ts'

export interface S3Settings {
  endpoint: string
  region: string
  bucket: string
  accessKeyId: string
  secretAccessKey: string
  /** The bucket's address as clients reach it (the gateway proxies the bucket path unchanged). */
  publicUrl: string
}

/** The prefix served to anyone; everything else in the bucket needs a signature. */
export const PUBLIC_PREFIX = 'media/'

export function s3Client(settings: S3Settings) {
  return new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: true,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // Without this the SDK signs a checksum of an empty body into presigned requests, and real uploads fail.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
}

const missing = (error: unknown) => error instanceof S3ServiceException && (error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404)

/** The bucket, and a policy that lets anyone read what is under media/ (and nothing else). Idempotent. */
export async function ensureBucket(client: S3Client, bucket: string) {
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }))
  } catch (error) {
    if (!(error instanceof S3ServiceException && (error.name === 'BucketAlreadyOwnedByYou' || error.name === 'BucketAlreadyExists'))) throw error
  }
  await client.send(new PutBucketPolicyCommand({
    Bucket: bucket,
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'PublicMedia', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/${PUBLIC_PREFIX}*`] }],
    }),
  }))
}

export function createS3ObjectStore(settings: S3Settings, client = s3Client(settings)): ObjectStore {
  const { bucket } = settings
  return {
    async presignUpload({ key, contentType, maxBytes, expiresSeconds }) {
      const { fields } = await createPresignedPost(client, {
        Bucket: bucket,
        Key: key,
        Fields: { 'Content-Type': contentType },
        Conditions: [['content-length-range', 1, maxBytes], ['eq', '$Content-Type', contentType]],
        Expires: expiresSeconds,
      })
      return { url: settings.publicUrl, fields }
    },
    async size(key) {
      try {
        return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength
      } catch (error) {
        if (missing(error)) return undefined
        throw error
      }
    },
    async read(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
        return Buffer.from(await object.Body!.transformToByteArray())
      } catch (error) {
        if (missing(error)) return undefined
        throw error
      }
    },
    async write(key, body, contentType) {
      await client.send(new PutObjectCommand({
        Bucket: bucket, Key: key, Body: body, ContentType: contentType,
        // A key is never written twice with other bytes (it names the media and the rendition).
        CacheControl: 'public, max-age=31536000, immutable',
      }))
    },
    async remove(keys) {
      if (keys.length === 0) return
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }))
    },
    publicUrl: (key) => `${settings.publicUrl}/${key}`,
  }
}
