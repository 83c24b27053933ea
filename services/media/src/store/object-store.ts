/** A presigned POST: the form's action and the fields that must precede the file in it. */
export interface UploadForm {
  url: string
  fields: Record<string, string>
}

export interface UploadPolicy {
  key: string
  contentType: string
  /** The largest body the store accepts under the policy (content-length-range 1..maxBytes). */
  maxBytes: number
  expiresSeconds: number
}

/**
 * The port the media service keeps its files through: an S3-compatible bucket. Uploads land under
 * `uploads/` (private: never served), processed files under `media/` (public, immutable).
 */
export interface ObjectStore {
  /** A form the browser posts the file with, straight to the store; the store enforces the policy. */
  presignUpload(policy: UploadPolicy): Promise<UploadForm>
  /** The object's size in bytes, or undefined when there is none. */
  size(key: string): Promise<number | undefined>
  /** The object's bytes, or undefined when there is none. */
  read(key: string): Promise<Buffer | undefined>
  write(key: string, body: Buffer, contentType: string): Promise<void>
  /** Deletes the keys; absent ones are no error. */
  remove(keys: string[]): Promise<void>
  /** Where a public key is served (through the gateway). */
  publicUrl(key: string): string
}
