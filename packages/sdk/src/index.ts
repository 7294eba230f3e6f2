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
// Audio and video: importing the module registers their content handlers.
import './audio-video.ts';
export {
  AUDIO_META_MAP, WAV_ID3_MAX_BYTES, audioFeaturesExtract, fpcalcFeatures, ffmpegChromaprint, audioMetaExtract,
  audioMetaEmbed, audioThumbnail, readWavId3, type AudioMeta, type AudioFeatures, type AudioEmbedMeta, type AudioCodeMeta,
} from './audio.ts';
export { tagLibLength, MP4_MOOV_MAX_BYTES } from './audio-length.ts';
export {
  VIDEO_META_MAP, videoMetaExtract, videoMetaExtractFfprobe, videoMetaExtractFfmpeg, videoMetaEmbed, videoThumbnail,
  videoMp7sigExtract, videoMp7sigExtractScenes, videoMp7sigAndSceneScores, videoFeaturesExtract, parseFfmetadata,
  videoFfmetadata, type VideoMeta, type VideoEmbedMeta, type VideoCodeMeta,
} from './video.ts';
export { readMp7Signature, SIGELEM_SIZE, type Mp7Frame } from './mp7.ts';
export { videoParseScenes, videoComputeGranular, pyRound, fractionGte, type VideoFeatures } from './scenes.ts';
export { MEDIA_TOOL_TIMEOUT_MS } from './ffmpeg.ts';
// Text and documents: importing the module registers the text content handler.
export * from './text/index.ts';
