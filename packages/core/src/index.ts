/**
 * @iscc-ts/core: the ISCC (ISO 24138:2024) codec and algorithms, bit-exact with iscc-core
 * 1.3.0, pure and isomorphic. The root entry exports everything iscc-core exports at top
 * level (`iscc_core.__all__`), camelCased mechanically (DESIGN.md, "The core contract"),
 * plus TypeScript-style helpers beside them.
 */
// Errors, options and hash primitives
export * from './errors.ts';
export * from './options.ts';
export * from './xxh32.ts';
export * from './blake3.ts';
// Codec, models and identifiers
export * from './constants.ts';
export * from './codec.ts';
export * from './models.ts';
export * from './iscc-id.ts';
export * from './code-flake.ts';
export * from './similarity.ts';
// Engines
export * from './simhash.ts';
export * from './minhash.ts';
export * from './cdc.ts';
export * from './dct.ts';
export * from './wtahash.ts';
export * from './sliding-window.ts';
// Image normalisation (Pillow-exact, for Image-Codes from pixels)
export * from './image-normalize.ts';
// Text
export * from './unicode.ts';
export * from './text.ts';
export * from './jcs.ts';
// ISCC-SIG signatures, keys and IsccNote (hub-core)
export * from './sig/index.ts';
// Code generators
export * from './code-meta.ts';
export * from './code-content-text.ts';
export * from './code-content-image.ts';
export * from './code-content-audio.ts';
export * from './code-content-video.ts';
export * from './code-content-mixed.ts';
export * from './code-data.ts';
export * from './data-stream.ts';
export * from './code-instance.ts';
export * from './iscc-code.ts';
export * from './iscc-sum.ts';
export * from './streams.ts';
export * from './cid.ts';
// Conformance and installation checks
export * from './check.ts';
export * from './conformance.ts';
