/**
 * @iscc-ts/core: the ISCC (ISO 24138:2024) codec and algorithms, bit-exact with iscc-core
 * 1.3.0. The root entry exports everything iscc-core exports at top level, camelCased
 * mechanically (see DESIGN.md, "The core contract"), plus TypeScript-style helpers.
 */
export * from './errors.ts';
export * from './xxh32.ts';
export * from './blake3.ts';
export * from './options.ts';
export * from './simhash.ts';
