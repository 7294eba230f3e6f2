/**
 * Registers the audio and video content handlers with the dispatcher (`handlers.ts`), so
 * that `codeIscc`, `codeContent`, `codeAudio`, `codeVideo`, `extractMetadata` and
 * `embedMetadata` handle those modes. Importing this module is enough (the package index
 * does); it exports nothing else.
 */
import { registerContentHandler, type IsccMetaDict } from './handlers.ts';
import { audioMetaEmbed, audioMetaExtract, audioThumbnail, codeAudio } from './audio.ts';
import { codeVideo, videoMetaEmbed, videoMetaExtract, videoThumbnail } from './video.ts';

registerContentHandler('audio', {
  code: async (path, opts) => ({ ...(await codeAudio(path, opts)) }),
  extractMeta: async (path) => ({ ...(await audioMetaExtract(path)) }),
  thumbnail: (path, opts) => audioThumbnail(path, opts),
  embedMeta: (path, meta: IsccMetaDict) => audioMetaEmbed(path, meta),
});

registerContentHandler('video', {
  code: async (path, opts) => ({ ...(await codeVideo(path, opts)) }),
  extractMeta: async (path) => ({ ...(await videoMetaExtract(path)) }),
  thumbnail: (path, opts) => videoThumbnail(path, opts),
  embedMeta: (path, meta: IsccMetaDict) => videoMetaEmbed(path, meta),
});

/** True once this module ran (lets callers import it for its effect explicitly). */
export const AUDIO_VIDEO_HANDLERS_REGISTERED = true;
