/**
 * Reading a small request body (the JSON routes of `/index` and `/api/v1`) as text, with a
 * size limit that a lying or missing Content-Length cannot get around.
 *
 *   1. A declared Content-Length above the limit is refused before anything is read.
 *   2. Fast path: a request with a Content-Length (digits) and no Transfer-Encoding is read in
 *      one piece with `arrayBuffer()`. Node's HTTP parser delivers exactly Content-Length
 *      bytes, so step 1 already bounds it, and @hono/node-server then reads the socket's
 *      IncomingMessage directly. Touching `c.req.raw.body` instead makes the adaptor build a
 *      full web Request with an AbortController and a web stream around the socket: about
 *      100 µs of CPU per request, more than an index search.
 *   3. Otherwise (chunked uploads, in-process requests without a length) the body stream is
 *      read chunk by chunk and cancelled as soon as it passes the limit.
 * The bytes are decoded as UTF-8 like `Buffer#toString` (a byte order mark is kept, so that
 * JSON.parse refuses it as before; `TextDecoder` would strip it).
 */
import type { Context } from 'hono';

/**
 * The body of `c` as text, at most `maxBytes` bytes; `tooLarge` throws the route's own error
 * (with the declared length when the refusal comes from the Content-Length header).
 */
export async function readBodyText(c: Context, maxBytes: number, tooLarge: (declared: number | null) => never): Promise<string> {
  const length = c.req.header('content-length');
  const declared = Number(length ?? '0');
  if (declared > maxBytes) tooLarge(declared);
  if (length !== undefined && /^\d+$/.test(length) && c.req.header('transfer-encoding') === undefined) {
    return Buffer.from(await c.req.raw.arrayBuffer()).toString('utf8');
  }
  const body = c.req.raw.body;
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      tooLarge(null);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
