/**
 * Text mode of @iscc-ts/sdk: importing this module registers the text content handler, so
 * `codeIscc`/`codeText`/`codeContent`/`extractMetadata`/`embedMetadata` handle documents.
 * Exports iscc-sdk's text functions (camelCased) and the text limits.
 */
export { codeTextFile, textContainerParts, textThumbnail, type TextCodeMeta } from './code.ts';
export {
  extractText, textExtract, textMetaExtract, textMetaEmbed, isPlainTextType, TEXT_FORMATS, type TextEmbeddable,
} from './extract.ts';
export { textChunks, textFeatures, type TextFeatures } from './features.ts';
export { textCodeStream, textCodeOf, collapseClean, CollapsedTextHasher, TEXT_STREAM_MAX_LINE } from './stream.ts';
export { htmlToText, htmlMeta, decodeTextBytes } from './html.ts';
export { rtfToText } from './rtf.ts';
export { xmlToText } from './xml.ts';
export * from './limits.ts';
export { TEXT_TOOLS, findTextTool, type TextToolName } from './tools.ts';
