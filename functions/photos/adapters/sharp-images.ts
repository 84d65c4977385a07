/**
 * {@link ImageProcessor} over sharp (libvips). On Lambda, sharp comes from SharpLayer (template.yaml,
 * layers/sharp): the bundle leaves it External.
 */
import type Sharp from 'sharp';
import { MAX_SIDE_PX } from '../domain/image-check.js';
import type {
  EncodeBounds,
  ImageProcessor,
  ImageSample,
  ImageSize,
  NormalisedImage,
} from '../domain/ports.js';

let sharpModule: typeof Sharp | undefined;

/**
 * sharp (and libvips under it) is loaded on the first image, not at init: loading the native library
 * is most of a cold start otherwise (docs/performance.md). A CommonJS require, as the static import was
 * bundled: it finds the layer through NODE_PATH (/opt/nodejs/node_modules), which import() ignores.
 */
function loadSharp(): typeof Sharp {
  sharpModule ??= require('sharp') as typeof Sharp;
  return sharpModule;
}

/** Side of the small copy the colours are computed from. */
const SAMPLE_SIDE_PX = 64;

/** Options every decode shares: fail on truncated files; never decode more than the largest allowed image. */
const input = { failOn: 'truncated', limitInputPixels: MAX_SIDE_PX * MAX_SIDE_PX } as const;

/** sharp's implementation. */
export const sharpImages: ImageProcessor = {
  async inspect(bytes: Uint8Array): Promise<ImageSize> {
    const sharp = loadSharp();
    const meta = await sharp(bytes, { ...input, limitInputPixels: false }).metadata();
    if (meta.width === undefined || meta.height === undefined) throw new Error('no dimensions in the header');
    // EXIF orientations 5-8 turn the image a quarter.
    const turned = (meta.orientation ?? 1) >= 5;
    return turned ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height };
  },

  async normalise(bytes: Uint8Array, bounds: EncodeBounds): Promise<NormalisedImage> {
    const sharp = loadSharp();
    // sharp writes no metadata unless asked (no keepMetadata/keepExif/withIccProfile here): the output
    // has no EXIF, XMP, IPTC or ICC profile; pixels are converted to sRGB first, so colours survive.
    const { data, info } = await sharp(bytes, input)
      .rotate()
      .resize(bounds.maxSide, bounds.maxSide, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: bounds.quality, chromaSubsampling: '4:2:0' })
      .toBuffer({ resolveWithObject: true });
    return {
      bytes: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width: info.width,
      height: info.height,
    };
  },

  async sample(bytes: Uint8Array): Promise<ImageSample> {
    const sharp = loadSharp();
    const { data, info } = await sharp(bytes, input)
      .rotate()
      .resize(SAMPLE_SIDE_PX, SAMPLE_SIDE_PX, { fit: 'inside' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.length), channels: info.channels };
  },

  async thumbnail(bytes: Uint8Array, maxSide: number): Promise<Uint8Array> {
    const sharp = loadSharp();
    const jpeg = await sharp(bytes, input)
      .rotate()
      .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 80 })
      .toBuffer();
    return new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.length);
  },
};
