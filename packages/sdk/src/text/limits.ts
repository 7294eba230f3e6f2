/**
 * Named limits of text mode: every hostile-document guard reads its bound from here, so the
 * numbers are documented in one place and tests can name them.
 *
 * - Containers (docx, epub, odt, pptx, xlsx) are zip files: the sum of all inflated entry
 *   sizes and each single entry are capped, checked while inflating (the sizes a zip
 *   declares are not trusted), so a zip bomb fails with ISCC_SDK_LIMIT_EXCEEDED.
 * - Whole files read into memory (containers, PDFs, OLE documents, markup) are capped.
 * - Plain text (txt, md, json) larger than {@link TEXT_MAX_IN_MEMORY_BYTES} is streamed: the
 *   Text-Code and `characters` are computed in pieces with bounded memory; options that need
 *   the whole text (`text_keep`, `granular`) fail with ISCC_SDK_LIMIT_EXCEEDED there.
 * - XML nesting depth is capped (the parser is iterative, the tree is not) and entity
 *   declarations are refused (no "billion laughs").
 */

/** Largest sum of inflated entry sizes read from one zip container (bytes). */
export const TEXT_ZIP_MAX_UNCOMPRESSED = 512 * 1024 * 1024;
/** Largest single inflated zip entry (bytes). */
export const TEXT_ZIP_MAX_ENTRY = 256 * 1024 * 1024;
/** Most entries in one zip container. */
export const TEXT_ZIP_MAX_ENTRIES = 65_535;
/** Largest document file read into memory whole (zip containers, PDF, OLE, markup; bytes). */
export const TEXT_MAX_FILE_BYTES = 1024 * 1024 * 1024;
/** Plain text files above this size are streamed (bytes); see the module comment. */
export const TEXT_MAX_IN_MEMORY_BYTES = 128 * 1024 * 1024;
/** Size of one streamed read of a large plain text file (bytes). */
export const TEXT_STREAM_READ_BYTES = 1024 * 1024;
/** Deepest XML element nesting accepted. */
export const TEXT_XML_MAX_DEPTH = 1024;
/** Wall-clock limit for one external extraction program (ms). */
export const TEXT_TOOL_TIMEOUT_MS = 300_000;
