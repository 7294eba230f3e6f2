/**
 * Each ISCC unit in words: its type (core's `isccTypeId`), its explained form (`isccExplain`)
 * and a sentence on what it identifies, for the result cards and the comparison bars.
 */
import { isccDecompose, isccExplain, isccTypeId } from '@iscc-ts/core';

/** One unit of an ISCC, explained. */
export interface ExplainedUnit {
  /** The unit, `ISCC:` prefixed. */
  code: string;
  /** Main type name (META, CONTENT, DATA, INSTANCE, ...). */
  maintype: string;
  /** Type-ID, e.g. `CONTENT-IMAGE-V0-64`. */
  typeId: string;
  /** `isccExplain`: type-ID and the hex body. */
  explained: string;
  /** Short title, e.g. "Content-Code Image". */
  title: string;
  /** What the unit identifies and how it matches. */
  why: string;
}

const CONTENT: Record<string, string> = {
  TEXT: 'Similar wording: a similarity hash of the normalised text, robust to small edits and formatting.',
  IMAGE: 'Similar pictures: a perceptual hash of a 32×32 grey thumbnail, robust to resizing and re-compression.',
  AUDIO: 'Similar sound: a hash of the Chromaprint audio fingerprint.',
  VIDEO: 'Similar footage: a hash of MPEG-7 frame signatures.',
  MIXED: 'Similar parts: combines the Content-Codes of several media.',
};

function titleCase(s: string): string {
  return s.charAt(0) + s.slice(1).toLowerCase();
}

/** Explain one unit (module comment). */
export function explainUnit(unit: string): ExplainedUnit {
  const code = unit.startsWith('ISCC:') ? unit : `ISCC:${unit}`;
  const typeId = isccTypeId(code);
  const [maintype = '', subtype = ''] = typeId.split('-');
  let title = `${titleCase(maintype)}-Code`;
  let why = '';
  switch (maintype) {
    case 'META':
      why = 'Similar metadata: a similarity hash of the title (and description), so that works with near-identical titles match.';
      break;
    case 'SEMANTIC':
      title = `Semantic-Code ${titleCase(subtype)}`;
      why = 'Similar meaning, across languages and media.';
      break;
    case 'CONTENT':
      title = `Content-Code ${titleCase(subtype)}`;
      why = CONTENT[subtype] ?? 'Similar content of this media type.';
      break;
    case 'DATA':
      why = 'Similar bytes: a MinHash over content-defined chunks of the raw file, so that partly changed files still match.';
      break;
    case 'INSTANCE':
      why = 'This exact file: a BLAKE3 checksum of every byte; one changed bit gives a different code.';
      break;
    case 'ISCC':
      title = 'ISCC-CODE';
      why = 'The composite of the units above.';
      break;
    case 'ID':
      title = 'ISCC-ID';
      why = 'A short, globally unique identifier minted by a hub for a declaration.';
      break;
    default:
      why = '';
  }
  return { code, maintype, typeId, explained: isccExplain(code), title, why };
}

/** Units of an ISCC-CODE (or a single unit), explained, in code order. */
export function explainCode(iscc: string): ExplainedUnit[] {
  return isccDecompose(iscc).map(explainUnit);
}

/** "CONTENT_IMAGE_V0" (isccNphCompare's keys) as words. */
export function compareKeyTitle(key: string): { maintype: string; title: string } {
  const [mt = '', st = ''] = key.split('_');
  if (mt === 'CONTENT' || mt === 'SEMANTIC') return { maintype: mt, title: `${titleCase(mt)}-Code ${titleCase(st)}` };
  return { maintype: mt, title: `${titleCase(mt)}-Code` };
}
