import { describe, it, expect } from 'vitest';
import { genDataCodeV0, genInstanceCodeV0, genIsccCodeV0, genMetaCodeV0 } from '@iscc-ts/core';
import { CIP3_ERROR_CODES, Cip3Error, validateCip3Entry } from './cip3.ts';

/** Run `fn`, expect a Cip3Error and return it. */
function refusal(fn: () => unknown): Cip3Error {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Cip3Error);
    return e as Cip3Error;
  }
  throw new Error('expected a Cip3Error, nothing was thrown');
}

const TITLE = 'The Neverending Story';
const EXTRA = '1984 fantasy film based on novel';
const bytes = new TextEncoder().encode('The Neverending Story, as bytes');
const META = genMetaCodeV0(TITLE, EXTRA).iscc;
const INSTANCE = genInstanceCodeV0(bytes);
const DATA = genDataCodeV0(bytes).iscc;
const CODE = genIsccCodeV0([META, DATA, INSTANCE.iscc]).iscc;
const TOPHASH = INSTANCE.datahash.slice(4);

describe('validateCip3Entry: the CIP examples', () => {
  it('accepts every example of the specification', () => {
    const examples = [
      { title: 'The Neverending Story' },
      { title: 'The Neverending Story', extra: '1984 fantasy film based on novel' },
      { title: 'The Neverending Story', tophash: '40aeb0ef856a8dbfa4e9897de98b1a1eef7e24f8744e65cd33118b40d9741147' },
      {
        title: 'Ubu: A face-to-face connector app for Hubud members',
        meta: [{ schema: 'xmp', mediatype: 'application/rdf+xml', url: 'http://camwebb.info/blog/2014-11-19/ubu.xmp' }],
      },
      {
        title: 'The Neverending Story',
        meta: [{ schema: 'schema.org', mediatype: 'application/ld+json', data: { '@context': 'http://schema.org', '@type': 'Movie', name: 'The Neverending Story' } }],
      },
      { title: 'The Neverending Story', _productionCompany: 'Bavaria Studios' },
      { version: '1.0', title: 'x' },
    ];
    for (const e of examples) expect(validateCip3Entry(e)).toBe(e);
  });
});

describe('validateCip3Entry: field rules and codes', () => {
  const cases: [unknown, string, string | null][] = [
    [null, CIP3_ERROR_CODES.INVALID_ENTRY, null],
    [[{ title: 'x' }], CIP3_ERROR_CODES.INVALID_ENTRY, null],
    [{ title: 'x', productionCompany: 'B' }, CIP3_ERROR_CODES.INVALID_ENTRY, 'productionCompany'],
    [{ title: 'x', _: 1 }, CIP3_ERROR_CODES.INVALID_ENTRY, '_'],
    [{ title: 'x', version: 1 }, CIP3_ERROR_CODES.INVALID_VERSION, 'version'],
    [{ title: 'x', version: '2.0' }, CIP3_ERROR_CODES.INVALID_VERSION, 'version'],
    [{}, CIP3_ERROR_CODES.INVALID_TITLE, 'title'],
    [{ title: 7 }, CIP3_ERROR_CODES.INVALID_TITLE, 'title'],
    [{ title: '   ' }, CIP3_ERROR_CODES.INVALID_TITLE, 'title'],
    [{ title: 'a'.repeat(129) }, CIP3_ERROR_CODES.INVALID_TITLE, 'title'],
    [{ title: 'ä'.repeat(65) }, CIP3_ERROR_CODES.INVALID_TITLE, 'title'], // 130 bytes, 65 characters
    [{ title: 'x', extra: 'é'.repeat(65) }, CIP3_ERROR_CODES.INVALID_EXTRA, 'extra'],
    [{ title: 'x', extra: null }, CIP3_ERROR_CODES.INVALID_EXTRA, 'extra'],
    [{ title: 'x', tophash: 'ab' }, CIP3_ERROR_CODES.INVALID_TOPHASH, 'tophash'],
    [{ title: 'x', tophash: TOPHASH.toUpperCase() }, CIP3_ERROR_CODES.INVALID_TOPHASH, 'tophash'],
    [{ title: 'x', tophash: `1e21${TOPHASH}` }, CIP3_ERROR_CODES.INVALID_TOPHASH, 'tophash'],
    [{ title: 'x', meta: [] }, CIP3_ERROR_CODES.INVALID_META, 'meta'],
    [{ title: 'x', meta: {} }, CIP3_ERROR_CODES.INVALID_META, 'meta'],
    [{ title: 'x', meta: ['a'] }, CIP3_ERROR_CODES.INVALID_META, 'meta[0]'],
    [{ title: 'x', meta: [{ mediatype: 'text/plain', data: 'a' }] }, CIP3_ERROR_CODES.INVALID_META, 'meta[0].schema'],
    [{ title: 'x', meta: [{ schema: 'dc', data: 'a' }] }, CIP3_ERROR_CODES.INVALID_META, 'meta[0].mediatype'],
    [{ title: 'x', meta: [{ schema: 'dc', mediatype: 'plain', data: 'a' }] }, CIP3_ERROR_CODES.INVALID_META, 'meta[0].mediatype'],
    [{ title: 'x', meta: [{ schema: 'dc', mediatype: 'text/plain' }] }, CIP3_ERROR_CODES.INVALID_META, 'meta[0]'],
    [{ title: 'x', meta: [{ schema: 'dc', mediatype: 'text/plain', data: null }] }, CIP3_ERROR_CODES.INVALID_META, 'meta[0].data'],
    [{ title: 'x', meta: [{ schema: 'dc', mediatype: 'text/plain', url: 'not a url' }] }, CIP3_ERROR_CODES.INVALID_META, 'meta[0].url'],
    [{ title: 'x', meta: [{ schema: 'dc', mediatype: 'text/plain', url: 'x', other: 1 }] }, CIP3_ERROR_CODES.INVALID_META, 'meta[0]'],
  ];
  it.each(cases.map((c, i) => [i, ...c] as const))('case %i refused with its code and field', (_i, entry, code, field) => {
    const e = refusal(() => validateCip3Entry(entry));
    expect(e.code).toBe(code);
    expect(e.field).toBe(field);
    expect(e.status).toBe(422);
  });

  it('accepts the limits exactly, custom members in meta, and the 1e20 datahash form of tophash', () => {
    expect(() => validateCip3Entry({ title: 'ä'.repeat(64), extra: 'a'.repeat(128) })).not.toThrow();
    expect(() => validateCip3Entry({ title: 'x', tophash: INSTANCE.datahash })).not.toThrow();
    expect(() =>
      validateCip3Entry({ title: 'x', meta: [{ schema: 'dc', mediatype: 'text/plain; charset=utf-8', data: 'a', url: 'ipfs://bafy', _note: 1 }] }),
    ).not.toThrow();
  });
});

describe('validateCip3Entry: against the stream item keys', () => {
  it('checks title + extra against the Meta-Code (unit keys or an ISCC-CODE, with or without ISCC:)', () => {
    const entry = { title: TITLE, extra: EXTRA, tophash: TOPHASH };
    expect(() => validateCip3Entry(entry, { keys: [META, DATA, INSTANCE.iscc] })).not.toThrow();
    expect(() => validateCip3Entry(entry, { keys: CODE })).not.toThrow();
    expect(() => validateCip3Entry(entry, { keys: [META.slice(5)] })).not.toThrow();
    // 128-bit Meta-Code: checked at the key's length.
    const meta128 = genMetaCodeV0(TITLE, EXTRA, null, 128).iscc;
    expect(() => validateCip3Entry(entry, { keys: [meta128] })).not.toThrow();
  });

  it('refuses a title or extra that encodes to another Meta-Code', () => {
    expect(refusal(() => validateCip3Entry({ title: TITLE }, { keys: [META] })).code).toBe(CIP3_ERROR_CODES.META_CODE_MISMATCH);
    expect(refusal(() => validateCip3Entry({ title: 'The Neverending Story 2', extra: EXTRA }, { keys: CODE })).code).toBe(
      CIP3_ERROR_CODES.META_CODE_MISMATCH,
    );
  });

  it('refuses a tophash that is not the Instance datahash', () => {
    const other = genInstanceCodeV0(new TextEncoder().encode('other bytes')).datahash;
    const e = refusal(() => validateCip3Entry({ title: TITLE, extra: EXTRA, tophash: other }, { keys: CODE }));
    expect(e.code).toBe(CIP3_ERROR_CODES.TOPHASH_MISMATCH);
    expect(e.field).toBe('tophash');
  });

  it('refuses keys that are not ISCCs or hold no Meta-Code', () => {
    expect(refusal(() => validateCip3Entry({ title: TITLE }, { keys: ['nonsense'] })).code).toBe(CIP3_ERROR_CODES.INVALID_KEYS);
    expect(refusal(() => validateCip3Entry({ title: TITLE }, { keys: [DATA, INSTANCE.iscc] })).code).toBe(CIP3_ERROR_CODES.INVALID_KEYS);
  });
});
