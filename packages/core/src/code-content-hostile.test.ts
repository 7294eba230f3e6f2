/**
 * Hostile-value catalog thrown at every public function of the Meta- and Content-Code modules:
 * each call must either succeed or throw IsccError (never a TypeError/RangeError from inside).
 */
import { describe, it, expect } from 'vitest';
import * as m from './code-meta.ts';
import * as t from './code-content-text.ts';
import * as i from './code-content-image.ts';
import * as a from './code-content-audio.ts';
import * as v from './code-content-video.ts';
import * as x from './code-content-mixed.ts';
import { algDct } from './dct.ts';
import { algWtahash } from './wtahash.ts';
import { slidingWindow } from './sliding-window.ts';
import { IsccError } from './errors.ts';

const HOSTILE: unknown[] = [
  undefined, null, NaN, -0, 1n, new String('abc'), {}, [], [null], [NaN], 'abc', Symbol('s'),
  () => 1, new Uint8Array(3), [[1, 2]], Infinity, -1, 1e9, 2 ** 53,
];

// Each entry feeds the hostile value into one argument, the others valid.
const CALLS: [string, (h: unknown) => unknown][] = [
  ['genMetaCodeV0 name', (h) => m.genMetaCodeV0(h as string)],
  ['genMetaCodeV0 description', (h) => m.genMetaCodeV0('x', h as string)],
  ['genMetaCodeV0 meta', (h) => m.genMetaCodeV0('x', '', h as string)],
  ['genMetaCodeV0 bits', (h) => m.genMetaCodeV0('x', '', null, h as number)],
  ['softHashMetaV0 extra', (h) => m.softHashMetaV0('x', h as string)],
  ['genTextCodeV0 text', (h) => t.genTextCodeV0(h as string)],
  ['genTextCodeV0 bits', (h) => t.genTextCodeV0('abc', h as number)],
  ['genImageCodeV0 pixels', (h) => i.genImageCodeV0(h as number[])],
  ['genImageCodeV0 bits', (h) => i.genImageCodeV0(new Uint8Array(1024), h as number)],
  ['genAudioCodeV0 cv', (h) => a.genAudioCodeV0(h as number[])],
  ['genAudioCodeV0 bits', (h) => a.genAudioCodeV0([1, 2, 3], h as number)],
  ['genVideoCodeV0 frames', (h) => v.genVideoCodeV0(h as number[][])],
  ['genVideoCodeV0 bits', (h) => v.genVideoCodeV0([new Array<number>(380).fill(1)], h as number)],
  ['genMixedCodeV0 codes', (h) => x.genMixedCodeV0(h as string[])],
  ['genMixedCodeV0 bits', (h) => x.genMixedCodeV0(['EAASKDNZNYGUUF5A', 'EEA4GQZQTY6J5DTH'], h as number)],
  ['algDct', (h) => algDct(h as number[])],
  ['algWtahash', (h) => algWtahash(h as number[], 64)],
  ['slidingWindow seq', (h) => slidingWindow(h as string, 2)],
  ['slidingWindow width', (h) => slidingWindow('abc', h as number)],
];

const label = (h: unknown) => (typeof h === 'symbol' ? 'Symbol' : typeof h === 'function' ? 'function' : String(h));

describe('hostile inputs', () => {
  it('never escape as anything but IsccError', () => {
    const bad: string[] = [];
    for (const [name, fn] of CALLS) {
      for (const h of HOSTILE) {
        try {
          fn(h);
        } catch (e) {
          if (!(e instanceof IsccError)) bad.push(`${name} <- ${label(h)}: ${(e as Error).name}: ${(e as Error).message}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('mostly do throw (the catalog is hostile enough for the test to mean something)', () => {
    let thrown = 0;
    for (const [, fn] of CALLS) {
      for (const h of HOSTILE) {
        try {
          fn(h);
        } catch {
          thrown++;
        }
      }
    }
    expect(thrown).toBeGreaterThan(CALLS.length * HOSTILE.length * 0.6);
  });
});
