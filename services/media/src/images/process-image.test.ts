import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { animatedGif, hasGps, photoWithGps, pixelBomb, png, truncatedJpeg } from '../../test/fixtures/images.ts'
import { ImageRejected, processImage } from './process-image.ts'

const limits = { maxPixels: 40_000_000, originalSide: 2048, previewSide: 320 }

describe('processImage', () => {
  it('writes an upright WebP original and preview with no metadata left, and a placeholder', async () => {
    const photo = await photoWithGps(1000, 500)
    expect(hasGps(photo)).toBe(true)
    const result = await processImage(photo, 'image/jpeg', limits)
    expect(result).toMatchObject({ width: 1000, height: 500 })
    const [original, preview] = await Promise.all([sharp(result.original).metadata(), sharp(result.preview).metadata()])
    expect(original).toMatchObject({ format: 'webp', width: 1000, height: 500 })
    expect(original.exif).toBeUndefined()
    expect(hasGps(result.original)).toBe(false)
    expect(preview).toMatchObject({ format: 'webp', width: 320, height: 160 })
    expect(result.placeholder).toMatch(/^data:image\/webp;base64,/)
  })

  it('keeps a GIF animated, sized by one frame', async () => {
    const result = await processImage(await animatedGif(), 'image/gif', limits)
    expect(result).toMatchObject({ width: 32, height: 64 })
    expect((await sharp(result.original).metadata()).pages).toBe(2)
  })

  it.each([
    ['a PNG declared as JPEG', () => png(), 'image/jpeg', /PNG image, not the image\/jpeg/],
    ['text declared as PNG', async () => Buffer.from('<html>not a picture</html>'), 'image/png', /not an image/],
    ['a JPEG cut short', truncatedJpeg, 'image/jpeg', /damaged or cut short/],
    ['a 50,000 × 50,000 pixel bomb', async () => pixelBomb(), 'image/png', /50000 × 50000 pixels; at most 40 megapixels/],
  ] as const)('refuses %s', async (_, bytes, declared, reason) => {
    const error = await processImage(await bytes(), declared, limits).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImageRejected)
    expect((error as Error).message).toMatch(reason)
  })
})
