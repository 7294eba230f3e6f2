/**
 * Uploads streamed to a temporary file on disk, never held in memory.
 *
 * A request body is either the raw file (any content type but multipart) or
 * `multipart/form-data` with one file part and small text fields. Steps:
 *   1. A declared Content-Length above the limit is refused at once (413), before reading.
 *   2. A private temporary directory is made (`mkdtemp` under `tmpRoot`); the file keeps the
 *      client's file name there (sanitised: the sdk reads the extension and reports the name).
 *   3. Bytes are written as they arrive (each write awaited: back-pressure on the socket), and
 *      counted: past the limit the read is cancelled and 413 thrown (Content-Length may lie).
 *   4. Multipart is parsed by a small state machine: find `\r\n--boundary`, read part headers
 *      (bounded by {@link MAX_PART_HEADER_BYTES}), stream the part body while keeping back the
 *      last `delimiter.length - 1` bytes (a delimiter may straddle two chunks).
 *   5. `cleanup()` removes the directory; callers call it in `finally`. On any failure during
 *      the upload it is removed before the error propagates.
 * The file name comes from the multipart part, else `Content-Disposition: ...; filename=`,
 * else `X-Filename` (percent-decoded), else `?filename=`, else `upload`.
 */
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerError, SERVER_ERROR_CODES } from './problem.ts';

/** Default largest upload in bytes (`--max-upload` / ISCC_MAX_UPLOAD_BYTES override it). */
export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;
/** Largest header block of one multipart part. */
export const MAX_PART_HEADER_BYTES = 16 * 1024;
/** Largest sum of the multipart text fields. */
export const MAX_FIELD_BYTES = 1024 * 1024;
/** Most multipart parts in one request. */
export const MAX_PARTS = 64;
/** Longest kept file name (characters). */
export const MAX_FILENAME_CHARS = 200;

/** A received upload. */
export interface Upload {
  /** Path of the temporary file (named after the client's file). */
  path: string;
  /** The sanitised file name. */
  filename: string;
  /** Bytes of the file. */
  size: number;
  /** Multipart text fields (empty for a raw upload). */
  fields: Record<string, string>;
  /** Remove the temporary directory (idempotent). */
  cleanup(): Promise<void>;
}

/** Options of {@link receiveUpload}. */
export interface UploadOptions {
  /** Largest body in bytes (default {@link MAX_UPLOAD_BYTES}). */
  maxBytes?: number;
  /** Where temporary directories are made (default the OS temp dir). */
  tmpRoot?: string;
}

/** A safe single-component file name: no directories, control characters or leading dots. */
export function sanitizeFilename(name: string | null | undefined): string {
  let s = (name ?? '').replace(/\\/g, '/');
  s = s.slice(s.lastIndexOf('/') + 1);
  // eslint-disable-next-line no-control-regex
  // Leading dots (hidden files, `..`) and blanks go, in any mix (` .x` must not become `.x`).
  s = s.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').replace(/^[\s.]+/, '').trim();
  if (s.length > MAX_FILENAME_CHARS) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 16 ? s.slice(dot) : '';
    s = s.slice(0, MAX_FILENAME_CHARS - ext.length) + ext;
  }
  return s || 'upload';
}

/** `filename` (or RFC 5987 `filename*`) of a Content-Disposition value. */
export function dispositionFilename(value: string | null | undefined): string | null {
  if (!value) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(value);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      /* fall through to the plain parameter */
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(value);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1');
  const bare = /filename\s*=\s*([^;\s]+)/.exec(value);
  return bare ? bare[1]! : null;
}

function tooLarge(limit: number, declared?: number): ServerError {
  return new ServerError(
    SERVER_ERROR_CODES.BODY_TOO_LARGE,
    declared === undefined ? `upload exceeds the limit of ${limit} bytes` : `upload of ${declared} bytes exceeds the limit of ${limit} bytes`,
  );
}

function bad(message: string): ServerError {
  return new ServerError(SERVER_ERROR_CODES.BAD_REQUEST, message);
}

/** Receive the body of `req` into a temporary file (see the module comment). */
export async function receiveUpload(req: Request, options: UploadOptions = {}): Promise<Upload> {
  const limit = options.maxBytes ?? MAX_UPLOAD_BYTES;
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit, Number(declared));
  if (!req.body) throw bad('the request has no body: send the file as the body or as multipart/form-data');
  const dir = await mkdtemp(join(options.tmpRoot ?? tmpdir(), 'iscc-upload-'));
  const cleanup = async (): Promise<void> => {
    await rm(dir, { recursive: true, force: true });
  };
  const url = new URL(req.url);
  const contentType = req.headers.get('content-type') ?? '';
  let xName: string | null = req.headers.get('x-filename');
  if (xName) {
    try {
      xName = decodeURIComponent(xName);
    } catch {
      /* keep it as sent */
    }
  }
  const headerName = dispositionFilename(req.headers.get('content-disposition')) ?? xName ?? url.searchParams.get('filename');
  try {
    const reader = req.body.getReader();
    let total = 0;
    const next = async (): Promise<Uint8Array | null> => {
      const { done, value } = await reader.read();
      if (done) return null;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(limit);
      }
      return value;
    };
    if (/^multipart\/form-data/i.test(contentType)) {
      const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
      const boundary = m?.[1] ?? m?.[2];
      if (!boundary || boundary.length > 70) throw bad('multipart/form-data without a valid boundary parameter');
      const r = await parseMultipart(next, boundary, dir, headerName);
      return { ...r, cleanup };
    }
    const filename = sanitizeFilename(headerName);
    const path = join(dir, filename);
    const fh = await open(path, 'wx');
    let size = 0;
    try {
      for (let chunk = await next(); chunk; chunk = await next()) {
        await writeAll(fh, chunk);
        size += chunk.byteLength;
      }
    } finally {
      await fh.close();
    }
    return { path, filename, size, fields: {}, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

async function writeAll(fh: FileHandle, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.byteLength) {
    const { bytesWritten } = await fh.write(data, off, data.byteLength - off);
    off += bytesWritten;
  }
}

interface PartHeaders {
  name: string | null;
  filename: string | null;
}

function parsePartHeaders(block: string): PartHeaders {
  let name: string | null = null;
  let filename: string | null = null;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-disposition') continue;
    const v = line.slice(colon + 1);
    const n = /(?:^|;)\s*name\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(v) ?? /(?:^|;)\s*name\s*=\s*([^;\s]+)/.exec(v);
    if (n) name = n[1]!;
    filename = dispositionFilename(v);
  }
  return { name, filename };
}

/** Stream a multipart body: the file part to disk, text fields to memory. */
async function parseMultipart(
  next: () => Promise<Uint8Array | null>,
  boundary: string,
  dir: string,
  fallbackName: string | null,
): Promise<Omit<Upload, 'cleanup'>> {
  const delim = Buffer.from(`\r\n--${boundary}`);
  // A leading CRLF lets the first boundary match the same delimiter as the others.
  let buf: Buffer = Buffer.from('\r\n');
  let state: 'preamble' | 'after' | 'headers' | 'body' | 'done' = 'preamble';
  let part: PartHeaders | null = null;
  let fh: FileHandle | null = null;
  let file: { path: string; filename: string; size: number } | null = null;
  let fieldChunks: Buffer[] = [];
  let fieldBytes = 0;
  let parts = 0;
  const fields: Record<string, string> = {};
  let eof = false;

  const emit = async (data: Buffer): Promise<void> => {
    if (data.length === 0 || !part) return;
    if (fh) {
      await writeAll(fh, data);
      file!.size += data.length;
    } else {
      fieldBytes += data.length;
      if (fieldBytes > MAX_FIELD_BYTES) throw new ServerError(SERVER_ERROR_CODES.BODY_TOO_LARGE, `multipart text fields exceed ${MAX_FIELD_BYTES} bytes`);
      fieldChunks.push(data);
    }
  };
  const endPart = async (): Promise<void> => {
    if (!part) return;
    if (fh) {
      await fh.close();
      fh = null;
    } else if (part.name !== null) {
      fields[part.name] = Buffer.concat(fieldChunks).toString('utf8');
    }
    fieldChunks = [];
    part = null;
  };

  try {
    for (;;) {
      if (state === 'done') break;
      let progressed = false;
      if (state === 'preamble' || state === 'body') {
        const at = buf.indexOf(delim);
        if (at >= 0) {
          if (state === 'body') await emit(buf.subarray(0, at));
          buf = buf.subarray(at + delim.length);
          await endPart();
          state = 'after';
          progressed = true;
        } else if (state === 'body' && buf.length >= delim.length) {
          const keep = delim.length - 1;
          await emit(buf.subarray(0, buf.length - keep));
          buf = buf.subarray(buf.length - keep);
        } else if (state === 'preamble' && buf.length > delim.length + MAX_PART_HEADER_BYTES) {
          throw bad('multipart body does not start with its boundary');
        }
      } else if (state === 'after') {
        if (buf.length >= 2) {
          const two = buf.subarray(0, 2).toString('latin1');
          if (two === '--') {
            state = 'done';
            continue;
          }
          // Transport padding (spaces/tabs) may follow a boundary before its CRLF.
          const eol = buf.indexOf('\r\n');
          if (eol < 0) {
            if (buf.length > 256) throw bad('malformed multipart boundary line');
          } else {
            if (buf.subarray(0, eol).toString('latin1').trim() !== '') throw bad('malformed multipart boundary line');
            buf = buf.subarray(eol + 2);
            state = 'headers';
            progressed = true;
          }
        }
      } else if (state === 'headers') {
        const end = buf.indexOf('\r\n\r\n');
        const block = end >= 0 ? buf.subarray(0, end) : buf;
        if (block.length > MAX_PART_HEADER_BYTES) throw bad(`a multipart part's headers exceed ${MAX_PART_HEADER_BYTES} bytes`);
        if (end >= 0) {
          if (++parts > MAX_PARTS) throw bad(`more than ${MAX_PARTS} multipart parts`);
          part = parsePartHeaders(block.toString('utf8'));
          buf = buf.subarray(end + 4);
          if (part.filename !== null) {
            if (file) throw bad('send one file per request (a second file part came)');
            const filename = sanitizeFilename(part.filename || fallbackName);
            const path = join(dir, filename);
            fh = await open(path, 'wx');
            file = { path, filename, size: 0 };
          }
          state = 'body';
          progressed = true;
        }
      }
      if (progressed) continue;
      if (eof) throw bad('multipart body ended before its closing boundary');
      const chunk = await next();
      if (chunk === null) eof = true;
      else buf = buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([buf, chunk]);
    }
    // Drain an epilogue (ignored) so that the client sees a complete exchange.
    while ((await next()) !== null) {
      /* epilogue */
    }
  } finally {
    if (fh) await (fh as FileHandle).close().catch(() => undefined);
  }
  if (!file) throw bad('multipart/form-data without a file part (a part with a filename)');
  return { ...file, fields };
}
