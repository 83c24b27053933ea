import sharp, { type Sharp } from 'sharp'

/** What an upload may claim to be, and the format sharp must find in its bytes. */
export const IMAGE_TYPES = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
} as const
export type ImageType = keyof typeof IMAGE_TYPES

export interface ImageLimits {
  /** Width × height above which a file is refused before it is decoded (a pixel bomb). */
  maxPixels: number
  /** The longest side of the stored original; larger images are scaled down. */
  originalSide: number
  /** The longest side of the preview shown in timelines. */
  previewSide: number
}

export interface ProcessedImage {
  original: Buffer
  preview: Buffer
  /** Of the stored original, after orientation and scaling. */
  width: number
  height: number
  /** A tiny WebP as a data: URL, shown while the preview loads. */
  placeholder: string
}

/** Why a file was refused: shown to its owner as the media's `reason`. */
export class ImageRejected extends Error {}

/** Metadata (EXIF with its GPS position, XMP, ICC, comments) is dropped: sharp keeps none unless asked. */
const webp = (image: Sharp, quality: number) => image.webp({ quality, effort: 4 })

/**
 * Checks that `bytes` are the image `declared` says, then writes a normalized original and a
 * preview (WebP, upright, without metadata) and a placeholder. Throws ImageRejected for a file that
 * is not an image, is another format, is truncated or too large in pixels.
 */
export async function processImage(bytes: Buffer, declared: ImageType, limits: ImageLimits): Promise<ProcessedImage> {
  let format: string | undefined
  let width: number | undefined
  let height: number | undefined
  try {
    // The header only: the format and size are known before a pixel is decoded.
    ;({ format, width, height } = await sharp(bytes, { limitInputPixels: false }).metadata())
  } catch {
    throw new ImageRejected('The file is not an image that can be read.')
  }
  if (format !== IMAGE_TYPES[declared]) throw new ImageRejected(`The file is ${format ? `a ${format.toUpperCase()} image` : 'not an image'}, not the ${declared} it was declared as.`)
  if (!width || !height) throw new ImageRejected('The image has no size.')
  if (width * height > limits.maxPixels) {
    throw new ImageRejected(`The image is ${width} × ${height} pixels; at most ${(limits.maxPixels / 1e6).toFixed(0)} megapixels are accepted.`)
  }

  const animated = declared === 'image/gif' || declared === 'image/webp'
  // failOn 'truncated': a file cut short is refused, not stored half grey.
  const input = () => sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'truncated', animated }).autoOrient()
  const fit = (side: number) => ({ width: side, height: side, fit: 'inside' as const, withoutEnlargement: true })
  try {
    const { data: original, info } = await webp(input().resize(fit(limits.originalSide)), 85).toBuffer({ resolveWithObject: true })
    const preview = await webp(input().resize(fit(limits.previewSide)), 80).toBuffer()
    const tiny = await webp(sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'truncated' }).autoOrient().resize(fit(16)), 40).toBuffer()
    return {
      original,
      preview,
      width: info.width,
      // An animation's frames are stacked: pageHeight is one frame's.
      height: info.pageHeight ?? info.height,
      placeholder: `data:image/webp;base64,${tiny.toString('base64')}`,
    }
  } catch {
    throw new ImageRejected('The image is damaged or cut short and cannot be decoded.')
  }
}
