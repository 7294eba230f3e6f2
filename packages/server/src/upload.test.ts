/**
 * Uploads: the streaming multipart parser gives the same file and fields however the body is
 * cut into chunks (delimiters straddling chunks, one-byte chunks), bodies that contain
 * boundary look-alikes survive, limits hold (size, part headers, part count, fields), the
 * temporary directory is removed on failure, and file names are sanitised.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { receiveUpload, sanitizeFilename, dispositionFilename, MAX_PART_HEADER_BYTES, MAX_PARTS } from './upload.ts';

// Each run writes and removes a temporary file, so the slow mode stays at thousands, not 100k.
const RUNS = process.env.ISCC_SLOW ? 5_000 : 300;

function requestFrom(chunks: Uint8Array[], headers: Record<string, string>): Request {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(ctl) {
      if (i < chunks.length) ctl.enqueue(chunks[i++]!);
      else ctl.close();
    },
  });
  return new Request('http://x/api/v1/iscc', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

function cut(data: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let o = 0;
  for (const s of sizes) {
    if (o >= data.length) break;
    out.push(data.subarray(o, o + s));
    o += s;
  }
  if (o < data.length) out.push(data.subarray(o));
  return out;
}

function body(boundary: string, fields: Record<string, string>, file: Uint8Array, filename = 'f.bin'): Buffer {
  const parts: Buffer[] = [Buffer.from('preamble to ignore\r\n')];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`), Buffer.from(file));
  parts.push(Buffer.from(`\r\n--${boundary}--\r\nepilogue`));
  return Buffer.concat(parts);
}

describe('receiveUpload (multipart)', () => {
  const tmpRoot = mkdtempSync(join(tmpdir(), 'iscc-upload-test-'));

  it('gives the same file and fields for any chunking', async () => {
    const boundary = 'XyZ-123';
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 80 }),
        fc.string({ maxLength: 30 }).filter((s) => !s.includes('\r') && !s.includes('\n')),
        async (payload, sizes, fieldValue) => {
          // Boundary look-alikes in the payload must not end the part.
          const file = Buffer.concat([Buffer.from(payload), Buffer.from(`\r\n--${boundary.slice(0, 5)}`), Buffer.from(payload)]);
          const data = body(boundary, { name: fieldValue, other: 'x' }, file);
          const up = await receiveUpload(requestFrom(cut(data, sizes), { 'content-type': `multipart/form-data; boundary=${boundary}` }), { tmpRoot });
          try {
            expect(Buffer.compare(readFileSync(up.path), file)).toBe(0);
            expect(up.size).toBe(file.length);
            expect(up.fields).toEqual({ name: fieldValue, other: 'x' });
            expect(up.filename).toBe('f.bin');
          } finally {
            await up.cleanup();
          }
        },
      ),
      { numRuns: RUNS },
    );
    expect(readdirSync(tmpRoot)).toEqual([]);
  }, 600_000);

  it('reads one-byte chunks and a quoted boundary', async () => {
    const data = body('a b', {}, Buffer.from('hello'));
    const up = await receiveUpload(requestFrom(cut(data, new Array(data.length).fill(1)), { 'content-type': 'multipart/form-data; boundary="a b"' }), { tmpRoot });
    expect(readFileSync(up.path, 'utf8')).toBe('hello');
    await up.cleanup();
  });

  it('refuses malformed bodies and limits, leaving nothing behind', async () => {
    const mp = (data: Buffer, extra: Record<string, string> = {}) => receiveUpload(requestFrom([data], { 'content-type': 'multipart/form-data; boundary=B', ...extra }), { tmpRoot, maxBytes: 100_000 });
    await expect(mp(Buffer.from('--B\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc'))).rejects.toMatchObject({ code: 'SERVER_BAD_REQUEST' });
    await expect(mp(Buffer.from(`--B\r\n${'X-Long: ' + 'a'.repeat(MAX_PART_HEADER_BYTES)}\r\n\r\n`))).rejects.toMatchObject({ code: 'SERVER_BAD_REQUEST' });
    const many = Array.from({ length: MAX_PARTS + 1 }, (_, i) => `--B\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nv\r\n`).join('') + '--B--\r\n';
    await expect(mp(Buffer.from(many))).rejects.toMatchObject({ code: 'SERVER_BAD_REQUEST' });
    const two = body('B', {}, Buffer.from('1')).toString('latin1').replace('--B--', `--B\r\nContent-Disposition: form-data; name="g"; filename="b"\r\n\r\n2\r\n--B--`);
    await expect(mp(Buffer.from(two, 'latin1'))).rejects.toMatchObject({ code: 'SERVER_BAD_REQUEST' });
    await expect(mp(body('B', {}, Buffer.alloc(200_000)))).rejects.toMatchObject({ code: 'SERVER_BODY_TOO_LARGE', status: 413 });
    await expect(receiveUpload(requestFrom([Buffer.from('x')], { 'content-type': 'multipart/form-data' }), { tmpRoot })).rejects.toMatchObject({ code: 'SERVER_BAD_REQUEST' });
    expect(readdirSync(tmpRoot)).toEqual([]);
    rmSync(tmpRoot, { recursive: true, force: true });
  });
});

describe('file names', () => {
  it('keeps one safe path component', () => {
    expect(sanitizeFilename('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFilename('C:\\Users\\me\\photo.jpg')).toBe('photo.jpg');
    expect(sanitizeFilename('.hidden')).toBe('hidden');
    expect(sanitizeFilename('a\u0000b\nc.txt')).toBe('a_b_c.txt');
    expect(sanitizeFilename('')).toBe('upload');
    expect(sanitizeFilename('..')).toBe('upload');
    expect(sanitizeFilename(' .x')).toBe('x');
    const long = sanitizeFilename('x'.repeat(500) + '.jpeg');
    expect(long.length).toBe(200);
    expect(long.endsWith('.jpeg')).toBe(true);
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const n = sanitizeFilename(s);
        expect(n.length).toBeGreaterThan(0);
        expect(n.length).toBeLessThanOrEqual(200);
        expect(n).not.toMatch(/[/\\\u0000-\u001f]/);
        expect(n.startsWith('.')).toBe(false);
      }),
      { numRuns: process.env.ISCC_SLOW ? 100_000 : 1000 },
    );
  });

  it('reads Content-Disposition filename and filename*', () => {
    expect(dispositionFilename('attachment; filename="a b.jpg"')).toBe('a b.jpg');
    expect(dispositionFilename('attachment; filename=plain.txt')).toBe('plain.txt');
    expect(dispositionFilename("attachment; filename*=UTF-8''%C3%A4.png; filename=\"a.png\"")).toBe('ä.png');
    expect(dispositionFilename('attachment')).toBeNull();
  });
});
