/**
 * End-to-end test of the web page (issue 9): the real server on 127.0.0.1 (a free port), the
 * page built by packages/web/build.mjs, Debian's chromium driven by playwright-core.
 *
 * - Generate: demo.jpg, demo.png and demo.txt go through the file input; every Content, Data
 *   and Instance unit the page computes must equal what the sdk's `codeIscc` gives for the
 *   same file, and the whole ISCC too for the text file (no embedded metadata); while the page
 *   computes locally it makes no request but its own assets. A file dropped on the page, the
 *   sdk's 38 JPEG/PNG image fixtures (Content-Code from Pillow's normalised pixels) and a
 *   24 MiB stream (progress bar; Data/Instance against core in Node) are checked too.
 * - Compare: the JPEG and PNG of the same picture give per-unit bars equal to core's
 *   `isccNphCompare`.
 * - Search: an entry added through `/index/add` is found from the page.
 * - Declare: a key generated in the browser signs an IsccNote, the hub returns a receipt and
 *   resolves the new ISCC-ID.
 * - Layout: screenshots at desktop and phone width (360 px), light and dark, written to
 *   test-artifacts/ (gitignored); no horizontal scrolling at 360 px; focus order and labels;
 *   the key kept across a reload.
 * - Server sdk: with "use the server's full sdk" checked the file is uploaded to /api/v1/iscc
 *   and the card shows the sdk's ISCC (embedded metadata included).
 *
 * The server serves the freshly built page at `/` and a memory hub (injected) at `/hub`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { genDataCodeV0, genImageCodeV0, genInstanceCodeV0, isccDecompose, isccNphCompare } from '@iscc-ts/core';
import { codeIscc } from '@iscc-ts/sdk';
import { Hub } from '@iscc-ts/hub';
import { createApp } from '@iscc-ts/server';
import { REPO_ROOT, samplesDir } from './conformance-dir.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WEB = join(REPO_ROOT, 'packages', 'web');
const DIST = join(WEB, 'dist');
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const HUB_ID = 7;

if (!existsSync(CHROMIUM)) throw new Error(`web e2e: ${CHROMIUM} not found; install Debian's chromium (npm run setup does) or set CHROMIUM_PATH`);

const sample = (rel: string): string => join(samplesDir(), rel);
/** The sdk's image fixtures with what Pillow 9.4 normalises each to (EXIF orientations, alpha, 16 bit, palettes, ...). */
const FIXTURES = join(REPO_ROOT, 'packages', 'sdk', 'src', '__fixtures__', 'images');
const FILES = { jpg: sample('image/demo.jpg'), png: sample('image/demo.png'), txt: sample('text/demo.txt') };

let tmp: string;
let server: Server;
let base: string;
let browser: Browser;
let page: Page;
let closeApp: () => Promise<void>;
let hub: Hub;
/** Every request the page made, as `METHOD /path`. */
const requests: string[] = [];

/** The page's results, keyed by file name. */
type PageEntry = { filename: string; iscc: string; units: string[]; datahash: string; mode: string };
async function pageEntries(): Promise<Record<string, PageEntry>> {
  const list = await page.evaluate(() => (window as unknown as { isccPage: { entries: PageEntry[] } }).isccPage.entries);
  return Object.fromEntries(list.map((e) => [e.filename, e]));
}

/** Units of an ISCC-CODE keyed by main type, via the type letter of the header. */
function unitsByType(iscc: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const u of isccDecompose(iscc)) {
    // The first base32 character carries the top 5 header bits: maintype (4 bits) + 1 bit of subtype.
    const mt = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(u[0]!) >> 1;
    out[['META', 'SEMANTIC', 'CONTENT', 'DATA', 'INSTANCE'][mt] ?? String(mt)] = `ISCC:${u}`;
  }
  return out;
}

async function shot(name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `web-${name}.png`), fullPage });
}

beforeAll(async () => {
  execFileSync(process.execPath, [join(WEB, 'build.mjs')], { stdio: 'pipe' });
  mkdirSync(ARTIFACTS, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'iscc-web-e2e-'));
  hub = await Hub.open({ hubId: HUB_ID, storage: 'memory://', keyDir: join(tmp, 'hub'), domain: 'localhost' });
  const { app, close } = createApp(
    { host: '127.0.0.1', port: 0, dataDir: tmp, indexUrl: null, apiKeys: [], service: { log: null, webDir: DIST, rateLimitPerS: 0 } },
    { hub },
  );
  closeApp = close;
  const listener = getRequestListener((req: Request) => app.fetch(req));
  server = createServer(listener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, reducedMotion: 'reduce' });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('request', (r) => {
    // blob: URLs are the page showing the local file to itself (image previews).
    if (r.url().startsWith('http')) requests.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  await page.goto(base + '/');
  await page.waitForFunction(() => (window as unknown as { isccPage?: { ready: boolean } }).isccPage?.ready === true);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await closeApp?.();
  await hub?.close?.();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('web page', () => {
  it('computes in the browser the same units as the sdk', async () => {
    await page.setInputFiles('#file-input', [FILES.jpg, FILES.png, FILES.txt]);
    await page.waitForFunction(() => document.querySelectorAll('#results .result').length === 3, undefined, { timeout: 30_000 });
    await shot('generate');
    // Files never leave the machine: computing made no request but the page's own assets.
    expect(requests.filter((r) => !/^GET \/(|app\.js|[\w.-]+\.wasm)$/.test(r)), 'requests while computing locally').toEqual([]);
    const got = await pageEntries();
    for (const [kind, path] of Object.entries(FILES)) {
      const want = await codeIscc(path, undefined, undefined, undefined, { create_thumb: false });
      const mine = got[path.split('/').pop()!]!;
      expect(mine, kind).toBeDefined();
      const w = unitsByType(String(want.iscc));
      const m = unitsByType(mine.iscc);
      expect(m['CONTENT'], `${kind} Content-Code`).toBe(w['CONTENT']);
      expect(m['DATA'], `${kind} Data-Code`).toBe(w['DATA']);
      expect(m['INSTANCE'], `${kind} Instance-Code`).toBe(w['INSTANCE']);
      expect(mine.datahash, `${kind} datahash`).toBe(want.datahash);
      if (kind === 'txt') expect(mine.iscc, 'whole ISCC of a file without embedded metadata').toBe(want.iscc);
      // The card shows the code and each unit explained.
      const card = page.locator(`.result[data-file="${mine.filename}"]`);
      await expect(card.locator('code.iscc').textContent()).resolves.toBe(mine.iscc);
      expect(await card.locator('.unit').count()).toBe(isccDecompose(mine.iscc).length);
    }
    expect(await page.locator('#results .result').first().locator('.unit-title').allTextContents()).toContain('Content-Code Text');
  });

  it('takes files dropped anywhere on the page', async () => {
    const text = 'Dropped text, with ünïcödé and\r\nWindows line ends.\n';
    const path = join(tmp, 'dropped_note.md');
    writeFileSync(path, text);
    await page.evaluate((t) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], 'dropped_note.md', { type: 'text/markdown' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        document.querySelector('.intro')!.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    }, text);
    await page.waitForSelector('#results .result[data-file="dropped_note.md"]');
    const want = await codeIscc(path, undefined, undefined, undefined, { create_thumb: false });
    expect((await pageEntries())['dropped_note.md']!.iscc).toBe(want.iscc);
    expect(await page.locator('#drop.dragover').count()).toBe(0);
  });

  it('compares two files with per-unit similarity bars', async () => {
    const got = await pageEntries();
    const a = got['demo.jpg']!.iscc;
    const b = got['demo.png']!.iscc;
    await page.fill('#compare-a', a);
    await page.fill('#compare-b', b);
    await page.click('#compare-form button[type=submit]');
    await page.waitForSelector('#compare-out .bars li');
    const bars = await page.$$eval('#compare-out .bars li', (lis) => lis.map((li) => [li.getAttribute('data-key'), Number(li.getAttribute('data-similarity'))] as const));
    const want = isccNphCompare(a, b);
    expect(Object.fromEntries(bars)).toEqual(Object.fromEntries(Object.entries(want).map(([k, v]) => [k, v.similarity])));
    expect(want['CONTENT_IMAGE_V0']!.similarity).toBeGreaterThan(0.8);
    expect(await page.locator('#compare-out .verdict').textContent()).toBe('Different files with near-identical content.');
    await page.locator('#compare').screenshot({ path: join(ARTIFACTS, 'web-compare.png') });
  });

  it('searches the index for similar content', async () => {
    const sdk = await codeIscc(FILES.jpg, undefined, undefined, undefined, { create_thumb: false });
    const added = await fetch(base + '/index/add', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ iscc_codes: [sdk.iscc] }),
    }).then((r) => r.json() as Promise<{ status: string; data: { iscc_ids: string[] } }>);
    expect(added.status).toBe('success');
    const id = added.data.iscc_ids[0]!;
    const got = await pageEntries();
    await page.fill('#search-code', got['demo.png']!.iscc);
    await page.click('#search-form button[type=submit]');
    await page.waitForSelector('#search-out .hit', { timeout: 10_000 });
    expect(await page.locator('#search-out .hit').first().getAttribute('data-iscc-id')).toBe(id);
    await page.locator('#search').screenshot({ path: join(ARTIFACTS, 'web-search.png') });
  });

  it('signs with a browser key and declares to the hub', async () => {
    await page.click('#key-generate');
    await page.waitForSelector('#key-status [data-pubkey]');
    const pubkey = await page.getAttribute('#key-status [data-pubkey]', 'data-pubkey');
    expect(pubkey).toMatch(/^z6Mk/);
    const got = await pageEntries();
    const txtId = await page.$$eval('#declare-file option', (os) => os.find((o) => o.textContent?.startsWith('demo.txt'))?.getAttribute('value'));
    await page.selectOption('#declare-file', txtId!);
    await page.click('#declare-submit');
    await page.waitForSelector('#declare-out [data-iscc-id], #declare-out .error', { timeout: 15_000 });
    expect(await page.locator('#declare-out .error').count(), await page.locator('#declare-out').textContent() ?? '').toBe(0);
    const isccId = (await page.getAttribute('#declare-out [data-iscc-id]', 'data-iscc-id'))!;
    expect(isccId).toMatch(/^ISCC:MA/);
    const resolved = await fetch(`${base}/hub/${isccId}`).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(JSON.stringify(resolved)).toContain(got['demo.txt']!.datahash);
    expect(JSON.stringify(resolved)).toContain(pubkey!);
    // The key survives a reload (kept in the browser).
    await page.locator('#declare').screenshot({ path: join(ARTIFACTS, 'web-declare.png') });
    await shot('desktop-all');
  });

  it("uses the server's full sdk only when asked", async () => {
    const before = (await pageEntries())['demo.jpg']!;
    expect(await page.evaluate(() => (window as unknown as { isccPage: { entries: { source: string }[] } }).isccPage.entries.every((e) => e.source === 'browser'))).toBe(true);
    await page.locator('#generate details.options summary').click();
    await page.check('#opt-server');
    await page.waitForSelector('#upload-warning:not([hidden])');
    await page.setInputFiles('#file-input', FILES.jpg);
    await page.waitForSelector('#results .result .badge.server', { timeout: 30_000 });
    const list = await page.evaluate(() => (window as unknown as { isccPage: { entries: (PageEntry & { source: string })[] } }).isccPage.entries);
    const fromServer = list.find((e) => e.source === 'server')!;
    const want = await codeIscc(FILES.jpg, undefined, undefined, undefined, { create_thumb: false });
    expect(fromServer.iscc).toBe(want.iscc); // embedded title read by the sdk
    expect(unitsByType(fromServer.iscc)['CONTENT']).toBe(unitsByType(before.iscc)['CONTENT']);
    await page.uncheck('#opt-server');
    expect(await page.locator('#upload-warning').isHidden()).toBe(true);
    await page.locator('#results .result').first().screenshot({ path: join(ARTIFACTS, 'web-server-sdk.png') });
  });

  it('works at phone width, in dark mode and from the keyboard', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await shot('phone');
    const overflow = await page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      // Overflowing text does not widen its element's box, so look at scrollWidth as well.
      const wide = [...document.querySelectorAll('body *')].filter((el) => !el.closest('.visually-hidden') && !(el instanceof HTMLInputElement)
        && (el.getBoundingClientRect().right > w + 0.5
          || (getComputedStyle(el).overflowX === 'visible' && el.getBoundingClientRect().left + el.scrollWidth > w + 0.5)));
      return { by: document.documentElement.scrollWidth - w, wide: wide.slice(0, 5).map((el) => `${el.tagName}#${el.id}.${el.className}`) };
    });
    expect(overflow.wide, 'elements wider than 360 px').toEqual([]);
    expect(overflow.by).toBeLessThanOrEqual(0);
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('phone-dark');
    await page.setViewportSize({ width: 1100, height: 900 });
    await shot('desktop-dark', false);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { isccPage?: { ready: boolean } }).isccPage?.ready === true);
    expect(await page.locator('#key-status [data-pubkey]').count()).toBe(1); // key kept across reloads
    // Focus order follows reading order: skip link, the four section links, the file picker, the options.
    const stops: string[] = [];
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab');
      stops.push(await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        return el.id || el.getAttribute('href') || el.className || el.tagName;
      }));
    }
    expect(stops).toEqual(['#main', '#generate', '#compare', '#search', '#declare', 'file-input', 'SUMMARY']);
    // Every form control has a label, every button a name.
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, button')].filter((el) => {
      const c = el as HTMLInputElement;
      return !(c.labels?.length || c.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent?.trim()));
    }).map((el) => el.id || el.outerHTML.slice(0, 60)));
    expect(unlabelled).toEqual([]);
    // The file picker is reachable by keyboard and labelled.
    await page.focus('#file-input');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('file-input');
    expect(await page.locator('label[for=file-input]').count()).toBe(1);
  });
  it('decodes every JPEG and PNG variant exactly as Pillow (sdk image fixtures)', async () => {
    const expected = (JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as { files: Record<string, { mode: string; normalized_b64: string }> }).files;
    const names = readdirSync(FIXTURES).filter((f) => /\.(jpg|png)$/.test(f) && expected[f]).sort();
    expect(names.length).toBeGreaterThan(30);
    // Start from an empty list (the reload above may already have emptied it).
    if (await page.locator('#clear-results').isVisible()) await page.click('#clear-results');
    expect(await page.locator('#results .result').count()).toBe(0);
    await page.setInputFiles('#file-input', names.map((f) => join(FIXTURES, f)));
    await page.waitForFunction((n) => document.querySelectorAll('#results .result').length === n, names.length, { timeout: 30_000 });
    const got = await pageEntries();
    const wrong: string[] = [];
    for (const f of names) {
      const content = unitsByType(got[f]!.iscc)['CONTENT'];
      if (expected[f]!.mode === 'CMYK') {
        // The page refuses CMYK JPEGs (the sdk converts them with Pillow's formula) and says so.
        if (content !== undefined) wrong.push(`${f}: expected no Content-Code, got ${content}`);
        continue;
      }
      const want = genImageCodeV0([...Buffer.from(expected[f]!.normalized_b64, 'base64')], 64).iscc;
      if (content !== want) wrong.push(`${f} (${expected[f]!.mode}): ${content} != ${want}`);
    }
    expect(wrong).toEqual([]);
    await page.click('#clear-results');
    expect(await page.locator('#results .result').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('file-input');
  });

  it('streams a large file through the hashers with a progress bar', async () => {
    // 24 MiB of xorshift noise: many CDC chunks, 24 reads of 1 MiB.
    const bytes = new Uint8Array(24 << 20);
    const words = new Uint32Array(bytes.buffer);
    let x = 0x9e3779b9;
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      words[i] = x >>> 0;
    }
    const path = join(tmp, 'noise.bin');
    writeFileSync(path, bytes);
    // Hashing can finish between two polls, so watch for the bar (and its progress) from inside.
    await page.evaluate(() => {
      const w = window as unknown as { seenProgress: number[] };
      w.seenProgress = [];
      new MutationObserver(() => {
        const bar = document.querySelector<HTMLProgressElement>('#results progress');
        if (bar && bar.position >= 0) w.seenProgress.push(bar.value);
      }).observe(document.getElementById('results')!, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await page.setInputFiles('#file-input', path);
    await page.waitForSelector('#results .result[data-file="noise.bin"]', { timeout: 30_000 });
    const seen = await page.evaluate(() => (window as unknown as { seenProgress: number[] }).seenProgress);
    expect(seen.length, 'a progress bar was shown').toBeGreaterThan(0);
    const mine = (await pageEntries())['noise.bin']!;
    const units = unitsByType(mine.iscc);
    expect(units['DATA']).toBe(genDataCodeV0(bytes, 64).iscc);
    expect(units['INSTANCE']).toBe(genInstanceCodeV0(bytes, 64).iscc);
    expect(units['CONTENT']).toBeUndefined();
    expect(mine.mode).toBe('sum');
  });
});
