/**
 * @iscc-ts/sdk: files in, ISCC out (Node). The API of iscc-sdk 0.9.5, camelCased:
 * `codeIscc`, `codeMeta`, `codeContent`, `codeImage`, `codeAudio`, `codeVideo`, `codeText`,
 * `codeData`, `codeInstance`, `codeSum`, `extractMetadata`, media type detection, options.
 */
export * from './errors.ts';
export * from './options.ts';
export * from './mediatype.ts';
export * from './tools.ts';
export * from './sum.ts';
export * from './handlers.ts';
export * from './sanitize.ts';
export { decodeImage, imageSize, type DecodedImage } from './image-decode.ts';
export { decodeBmp } from './bmp.ts';
export { decodePsd } from './psd.ts';
export {
  IMAGE_META_MAP, IMAGE_MAX_FILE_BYTES, imageMetaExtract, imageThumbnail, imageNormalizeFile, parseExiv2,
  exiv2Read, type ImageMeta, type ImageCodeMeta,
} from './image.ts';
export * from './main.ts';
export { imageMetaEmbed, imageMetaDelete, exiv2EmbedCommands, type EmbeddableMeta } from './image-embed.ts';
export type { PixelImage } from './pixels.ts';
export * from './ipfs.ts';
export * from './batch.ts';
