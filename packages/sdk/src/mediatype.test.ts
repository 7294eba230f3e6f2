/**
 * Media type detection: every shared sample gets iscc-sdk 0.9.5's mediatype and mode.
 * The table was computed with iscc-sdk's `mediatype_guess` rules, its sniffer (puremagic 1.30
 * via python-magic-pure) and Python 3.11 mimetypes with Debian's /etc/mime.types. Note that
 * iscc-sdk itself calls demo.rm `audio/x-pn-realaudio` (mode audio), demo.3gp/.3g2
 * `video/mp4` and demo.vob `video/dvd`.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  mediatypeGuess, mediatypeFromName, mediatypeFromData, mediatypeToMode, mediatypeAndMode, mediatypeNormalize,
} from './mediatype.ts';
import { SAMPLES_DIR } from './_test-paths.ts';

const EXPECTED: Record<string, [string, string | null]> = {
  'audio/demo.aac': ['audio/aac', 'audio'],
  'audio/demo.ac3': ['audio/ac3', 'audio'],
  'audio/demo.aif': ['audio/aiff', 'audio'],
  'audio/demo.mp3': ['audio/mpeg', 'audio'],
  'audio/demo.ogg': ['audio/ogg', 'audio'],
  'audio/demo.opus': ['audio/ogg', 'audio'],
  'audio/demo.wav': ['audio/wav', 'audio'],
  'audio/demo.wv': ['audio/x-wavpack', 'audio'],
  'audio/short.wav': ['audio/wav', 'audio'],
  'audio/withcover.mp3': ['audio/mpeg', 'audio'],
  'image/demo.bmp': ['image/bmp', 'image'],
  'image/demo.gif': ['image/gif', 'image'],
  'image/demo.jpg': ['image/jpeg', 'image'],
  'image/demo.png': ['image/png', 'image'],
  'image/demo.psd': ['image/vnd.adobe.photoshop', 'image'],
  'image/demo.tif': ['image/tiff', 'image'],
  'text/demo.doc': ['application/msword', 'text'],
  'text/demo.docx': ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text'],
  'text/demo.epub': ['application/epub+zip', 'text'],
  'text/demo.html': ['text/html', 'text'],
  'text/demo.json': ['application/json', 'text'],
  'text/demo.md': ['text/markdown', 'text'],
  'text/demo.mobi': ['application/x-mobipocket-ebook', null],
  'text/demo.odt': ['application/vnd.oasis.opendocument.text', 'text'],
  'text/demo.pdf': ['application/pdf', 'text'],
  'text/demo.ppt': ['application/vnd.ms-powerpoint', 'text'],
  'text/demo.pptx': ['application/vnd.openxmlformats-officedocument.presentationml.presentation', 'text'],
  'text/demo.rtf': ['application/rtf', 'text'],
  'text/demo.sqlite': ['application/x-sqlite3', null],
  'text/demo.txt': ['text/plain', 'text'],
  'text/demo.xhtml': ['application/xhtml+xml', 'text'],
  'text/demo.xls': ['application/vnd.ms-excel', 'text'],
  'text/demo.xlsx': ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text'],
  'text/demo.xml': ['text/xml', 'text'],
  'video/demo.3g2': ['video/mp4', 'video'],
  'video/demo.3gp': ['video/mp4', 'video'],
  'video/demo.asf': ['video/x-ms-asf', 'video'],
  'video/demo.avi': ['video/avi', 'video'],
  'video/demo.f4v': ['video/mp4', 'video'],
  'video/demo.flv': ['video/x-flv', 'video'],
  'video/demo.gif': ['image/gif', 'image'],
  'video/demo.m1v': ['video/mpeg', 'video'],
  'video/demo.m4v': ['video/mp4', 'video'],
  'video/demo.mkv': ['video/x-matroska', 'video'],
  'video/demo.mov': ['video/quicktime', 'video'],
  'video/demo.mp4': ['video/mp4', 'video'],
  'video/demo.mpeg': ['video/mpeg', 'video'],
  'video/demo.mpg': ['video/mpeg', 'video'],
  'video/demo.ogg': ['audio/ogg', 'audio'],
  'video/demo.ogv': ['video/ogg', 'video'],
  'video/demo.rm': ['audio/x-pn-realaudio', 'audio'],
  'video/demo.swf': ['application/x-shockwave-flash', 'video'],
  'video/demo.vob': ['video/dvd', 'video'],
  'video/demo.webm': ['video/webm', 'video'],
  'video/demo.wmv': ['video/x-ms-wmv', 'video'],
};

const modeOrNull = (m: string): string | null => { try { return mediatypeToMode(m); } catch { return null; } };

describe('every shared sample gets iscc-sdk mediatype and mode', () => {
  for (const [file, [mt, mode]] of Object.entries(EXPECTED)) {
    it(file, async () => {
      const data = readFileSync(`${SAMPLES_DIR}/${file}`).subarray(0, 4096);
      const got = await mediatypeGuess(data, file.split('/')[1]);
      expect(got).toBe(mt);
      expect(modeOrNull(got)).toBe(mode);
    });
  }
  it('mediatypeAndMode rejects unsupported files with a stable code', async () => {
    await expect(mediatypeAndMode(`${SAMPLES_DIR}/text/demo.sqlite`)).rejects.toMatchObject({ code: 'ISCC_SDK_UNSUPPORTED_MEDIATYPE' });
    expect(await mediatypeAndMode(`${SAMPLES_DIR}/image/demo.jpg`)).toEqual(['image/jpeg', 'image']);
  });
});

describe('detection by content when the name does not help', () => {
  const cases: [string, string | null][] = [
    ['image/demo.jpg', 'image/jpeg'], ['image/demo.png', 'image/png'], ['image/demo.bmp', 'image/bmp'],
    ['image/demo.psd', 'image/vnd.adobe.photoshop'], ['image/demo.tif', 'image/tiff'], ['image/demo.gif', 'image/gif'],
    ['video/demo.mp4', 'video/mp4'], ['video/demo.avi', 'video/avi'], ['video/demo.mkv', 'video/x-matroska'],
    ['video/demo.mpg', 'video/dvd'], ['audio/demo.wav', 'audio/wave'], ['audio/demo.aif', 'audio/aiff'],
    ['video/demo.rm', 'audio/x-pn-realaudio'], ['video/demo.3gp', 'video/mp4'], ['video/demo.wmv', 'video/x-ms-wmv'],
    ['video/demo.ogv', 'video/ogg'], ['audio/demo.ac3', 'audio/ac3'], ['text/demo.doc', 'application/octet-stream'],
    ['text/demo.pdf', 'application/pdf'], ['text/demo.json', 'application/json'],
  ];
  for (const [file, mt] of cases) {
    it(`${file} without a name / with an unknown extension`, async () => {
      const data = readFileSync(`${SAMPLES_DIR}/${file}`).subarray(0, 4096);
      expect(await mediatypeGuess(data)).toBe(mt);
      expect(await mediatypeGuess(data, 'noext')).toBe(mt);
      expect(await mediatypeGuess(data, 'x.unknownext')).toBe(mt);
    });
  }
  it('unknown bytes are application/octet-stream; text is not sniffed (as iscc-sdk)', async () => {
    expect(await mediatypeGuess(new TextEncoder().encode('UNSUPPORTED_BINARY_DATA_FOR_TESTING_12345678901234567890'), 'data.dat')).toBe('application/octet-stream');
    expect(await mediatypeGuess(new Uint8Array(0), 'empty')).toBe('application/octet-stream');
    expect(await mediatypeFromData(new Uint8Array([1, 2, 3]))).toBeNull();
  });
  it('svg content named .xml becomes image/svg+xml', async () => {
    const svg = new TextEncoder().encode('<?xml version="1.0"?><!-- <html> --><svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
    expect(await mediatypeGuess(svg, 'pic.xml')).toBe('image/svg+xml');
    // XML is not sniffed (as iscc-sdk, whose sniffer has no answer): without a name it is unknown
    expect(await mediatypeGuess(svg)).toBe('application/octet-stream');
    expect(await mediatypeGuess(new TextEncoder().encode('<?xml version="1.0"?><doc/>'))).toBe('application/octet-stream');
  });
});

describe('name rules (Python mimetypes)', () => {
  it.each([
    ['a.JPG', 'image/jpeg'], ['a.tar.gz', null], ['a.svgz', null], ['a.md', 'text/markdown'], ['.bashrc', null],
    ['noext', null], ['a.f4v', 'video/mp4'], ['a.wv', 'audio/x-wavpack'], ['dir.d/file', null], ['a..png', 'image/png'],
  ])('%s -> %s', (name, mt) => {
    expect(mediatypeFromName(name)).toBe(mt);
  });
  it('normalises aliases', () => {
    expect(mediatypeNormalize('audio/x-wav')).toBe('audio/wav');
    expect(mediatypeNormalize('application/xml')).toBe('text/xml');
    expect(mediatypeToMode('audio/x-unknown')).toBe('audio');
    expect(() => mediatypeToMode('application/x-nothing')).toThrow(/No known processing mode/);
  });
});
