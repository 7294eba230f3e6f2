/**
 * The web page's behaviour (the markup is index.html):
 *
 * - Generate: files dropped or picked are coded in the browser (`compute.ts`) with a progress
 *   bar per file; with "use the server's full sdk" checked they are uploaded to
 *   `/api/v1/iscc` instead. Each result card shows the ISCC-CODE and every unit explained.
 * - Compare: two ISCCs (picked from the computed files or pasted) -> per-unit similarity bars
 *   from core's `isccNphCompare`.
 * - Search: `/index/search` for the ISCC, hits with similarity bars.
 * - Declare: an IsccNote signed in the browser (core's `buildIsccNote`, key from `keys.ts`)
 *   posted to `/hub/declaration`; the receipt's ISCC-ID is shown.
 *
 * Results are announced through aria-live regions; everything is reachable by keyboard.
 * `window.isccPage` exposes the results for tests and the curious.
 */
import { buildIsccNote, isccDecompose, isccNphCompare, isccValidate, type KeyPair } from '@iscc-ts/core';
import { computeIscc, type FileIscc } from './compute.ts';
import { byId, formatBytes, h } from './dom.ts';
import { compareKeyTitle, explainCode } from './explain.ts';
import { declare, hubId, searchIndex, serverIscc } from './api.ts';
import { forgetKey, importKey, keyJson, loadKey, newKey } from './keys.ts';

/** A computed file as the page keeps it. */
interface Entry extends FileIscc {
  id: number;
  source: 'browser' | 'server';
  /** Object URL of the local image, for the card's preview (never uploaded). */
  preview?: string;
}

const entries: Entry[] = [];
let nextId = 1;
let key: KeyPair | null = null;

declare global {
  interface Window {
    isccPage?: { entries: Entry[]; ready: boolean };
  }
}

function announce(message: string): void {
  const el = byId('announcer');
  el.textContent = '';
  // A fresh text node after a tick makes screen readers read repeated messages again.
  setTimeout(() => { el.textContent = message; }, 30);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Normalise user input to `ISCC:...`, or throw a readable message. */
function readCode(value: string, label: string): string {
  const v = value.trim().replace(/^iscc:/i, '').toUpperCase();
  if (!v) throw new Error(`${label}: enter an ISCC`);
  const code = `ISCC:${v}`;
  try {
    isccValidate(code, true);
  } catch (e) {
    throw new Error(`${label}: not a valid ISCC (${errorText(e)})`);
  }
  return code;
}

async function copy(text: string, button: HTMLButtonElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
    announce('ISCC copied to the clipboard');
  } catch {
    button.textContent = 'Copy failed';
  }
  setTimeout(() => { button.textContent = 'Copy'; }, 1500);
}

// ---------------------------------------------------------------- generate

function unitList(iscc: string): HTMLElement {
  return h('ul', { class: 'units', 'aria-label': 'Units' },
    explainCode(iscc).map((u) =>
      h('li', { class: 'unit', 'data-mt': u.maintype },
        h('div', {},
          h('div', { class: 'file-head' }, h('span', { class: 'unit-title' }, u.title), h('span', { class: 'unit-type' }, u.typeId)),
          h('div', { class: 'unit-code', 'data-unit': u.code }, u.code),
          h('p', { class: 'unit-why' }, u.why),
          h('details', {}, h('summary', { class: 'muted' }, 'Explained'), h('code', { class: 'mono' }, u.explained)),
        ),
      ),
    ),
  );
}

/** A strip with one coloured segment per unit: the ISCC-CODE's composition at a glance. */
function composition(iscc: string): HTMLElement {
  const units = explainCode(iscc);
  return h('div', { class: 'strip', role: 'img', 'aria-label': `Made of ${units.map((u) => u.title).join(', ')}` },
    units.map((u) => h('span', { 'data-mt': u.maintype, title: u.title }, u.maintype.charAt(0) + u.maintype.slice(1).toLowerCase())));
}

function resultCard(entry: Entry): HTMLElement {
  const copyBtn = h('button', { type: 'button', class: 'small', 'aria-label': `Copy the ISCC of ${entry.filename}` }, 'Copy');
  copyBtn.addEventListener('click', () => void copy(entry.iscc, copyBtn));
  const facts: [string, string][] = [
    ['Size', formatBytes(entry.filesize)],
    ['Mode', entry.mode === 'sum' ? 'data only' : entry.mode],
    ['Title', entry.name],
  ];
  if (entry.width && entry.height) facts.push(['Pixels', `${entry.width} × ${entry.height}`]);
  if (entry.characters !== undefined) facts.push(['Characters', String(entry.characters)]);
  const useCompare = (slot: 'a' | 'b') => () => {
    byId<HTMLInputElement>(`compare-${slot}`).value = entry.iscc;
    byId('compare').scrollIntoView();
    byId<HTMLInputElement>(`compare-${slot}`).focus();
  };
  return h('article', { class: 'card result', 'data-file': entry.filename, 'aria-label': `ISCC of ${entry.filename}` },
    h('div', { class: 'result-top' },
      entry.preview ? h('img', { class: 'preview', src: entry.preview, alt: '', width: 72, height: 72 }) : h('div', { class: 'preview placeholder', 'aria-hidden': 'true' }, entry.mode === 'text' ? '¶' : '⬚'),
      h('div', { class: 'result-title' },
        h('div', { class: 'file-head' },
          h('h3', {}, entry.filename),
          h('span', { class: `badge ${entry.source === 'browser' ? 'local' : 'server'}` }, entry.source === 'browser' ? 'in your browser' : 'by the server'),
        ),
        h('dl', { class: 'facts' }, facts.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))),
      ),
    ),
    h('div', { class: 'iscc-code' }, h('code', { class: 'iscc', 'data-iscc': entry.iscc }, entry.iscc), copyBtn),
    composition(entry.iscc),
    entry.contentNote ? h('p', { class: 'note warn' }, `No Content-Code: ${entry.contentNote}.`) : null,
    entry.source === 'browser' && entry.mode === 'image'
      ? h('p', { class: 'note' }, 'The title comes from the file name; the server\'s full sdk also reads titles embedded in the image, which changes the Meta-Code.')
      : null,
    unitList(entry.iscc),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'small', onclick: useCompare('a') }, 'Compare as first'),
      h('button', { type: 'button', class: 'small', onclick: useCompare('b') }, 'Compare as second'),
      h('button', { type: 'button', class: 'small', onclick: () => { byId<HTMLInputElement>('search-code').value = entry.iscc; byId('search').scrollIntoView(); void runSearch(); } }, 'Search similar'),
      h('button', { type: 'button', class: 'small', onclick: () => { byId<HTMLSelectElement>('declare-file').value = String(entry.id); byId('declare').scrollIntoView(); byId('declare-submit').focus(); } }, 'Declare…'),
    ),
  );
}

function refreshResultsBar(): void {
  byId('results-bar').hidden = entries.length === 0;
  byId('results-count').textContent = `${entries.length} ${entries.length === 1 ? 'file' : 'files'}`;
}

function clearResults(): void {
  for (const e of entries) if (e.preview) URL.revokeObjectURL(e.preview);
  entries.length = 0;
  byId('results').replaceChildren();
  refreshPickers();
  refreshResultsBar();
  announce('Results cleared');
  byId('file-input').focus();
}

function refreshPickers(): void {
  const list = byId<HTMLDataListElement>('known-codes');
  list.replaceChildren(...entries.map((e) => h('option', { value: e.iscc }, e.filename)));
  const sel = byId<HTMLSelectElement>('declare-file');
  const current = sel.value;
  sel.replaceChildren(
    entries.length ? h('option', { value: '' }, '— choose a file —') : h('option', { value: '' }, '— compute a file first —'),
    ...entries.map((e) => h('option', { value: String(e.id) }, `${e.filename} (${e.iscc})`)),
  );
  sel.value = current && entries.some((e) => String(e.id) === current) ? current : entries.length ? String(entries[entries.length - 1]!.id) : '';
  // The two latest files are the natural pair to compare.
  const a = byId<HTMLInputElement>('compare-a');
  const b = byId<HTMLInputElement>('compare-b');
  if (entries.length >= 2 && !a.dataset.touched && !b.dataset.touched) {
    a.value = entries[entries.length - 2]!.iscc;
    b.value = entries[entries.length - 1]!.iscc;
  }
  const s = byId<HTMLInputElement>('search-code');
  if (!s.dataset.touched && entries.length) s.value = entries[entries.length - 1]!.iscc;
}

function fromServer(file: File, r: Record<string, unknown>): FileIscc {
  const iscc = String(r['iscc'] ?? '');
  const units = isccDecompose(iscc).map((u) => `ISCC:${u}`);
  return {
    filename: String(r['filename'] ?? file.name),
    filesize: Number(r['filesize'] ?? file.size),
    mode: (['image', 'text'].includes(String(r['mode'])) ? r['mode'] : 'sum') as FileIscc['mode'],
    iscc,
    units,
    name: String(r['name'] ?? ''),
    metahash: String(r['metahash'] ?? ''),
    datahash: String(r['datahash'] ?? ''),
    ...(typeof r['characters'] === 'number' ? { characters: r['characters'] } : {}),
    ...(typeof r['width'] === 'number' ? { width: r['width'], height: Number(r['height']) } : {}),
  };
}

async function processFile(file: File): Promise<void> {
  const useServer = byId<HTMLInputElement>('opt-server').checked;
  const status = h('p', { class: 'muted', role: 'status' }, useServer ? 'Uploading to the server…' : 'Starting…');
  const bar = h('progress', { max: '1', value: '0', 'aria-label': `Progress of ${file.name}` });
  const card = h('article', { class: 'card pending', 'aria-busy': 'true' },
    h('div', { class: 'file-head' }, h('h3', {}, file.name), h('span', { class: 'badge' }, formatBytes(file.size))),
    bar, status);
  byId('results').prepend(card);
  try {
    let result: FileIscc;
    if (useServer) {
      bar.removeAttribute('value'); // indeterminate while uploading
      result = fromServer(file, await serverIscc(file, { name: byId<HTMLInputElement>('opt-title').value, description: byId<HTMLInputElement>('opt-description').value }));
    } else {
      result = await computeIscc(file, {
        title: byId<HTMLInputElement>('opt-title').value,
        description: byId<HTMLInputElement>('opt-description').value,
        onProgress: (f, stage) => {
          bar.value = f;
          status.textContent = `${stage}… ${Math.round(f * 100)} %`;
        },
      });
    }
    const entry: Entry = { ...result, id: nextId++, source: useServer ? 'server' : 'browser' };
    if (/^image\/(jpeg|png|gif|webp|avif|bmp)$/.test(file.type) || result.mode === 'image') entry.preview = URL.createObjectURL(file);
    entries.push(entry);
    card.replaceWith(resultCard(entry));
    refreshPickers();
    refreshResultsBar();
    announce(`${file.name}: ${entry.iscc}`);
  } catch (e) {
    card.removeAttribute('aria-busy');
    bar.remove();
    status.className = 'error';
    status.textContent = `Could not compute the ISCC: ${errorText(e)}`;
    announce(`${file.name}: ${errorText(e)}`);
  }
}

async function processFiles(files: Iterable<File>): Promise<void> {
  // One at a time: hashing is CPU-bound, and results then appear in a stable order.
  for (const f of files) await processFile(f);
}

function setupDrop(): void {
  const input = byId<HTMLInputElement>('file-input');
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = '';
    void processFiles(files);
  });
  const zone = byId('drop');
  let depth = 0;
  // The whole window accepts drops so that a near miss does not navigate away from the page.
  window.addEventListener('dragenter', (e) => { e.preventDefault(); depth++; zone.classList.add('dragover'); });
  window.addEventListener('dragleave', () => { if (--depth <= 0) { depth = 0; zone.classList.remove('dragover'); } });
  window.addEventListener('dragover', (e) => { e.preventDefault(); if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'; });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    zone.classList.remove('dragover');
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length) void processFiles(files);
  });
}

// ---------------------------------------------------------------- compare

function bar(fraction: number, label: string): HTMLElement {
  const fill = h('span', {});
  const el = h('div', { class: 'bar', role: 'img', 'aria-label': label }, fill);
  requestAnimationFrame(() => { fill.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`; });
  return el;
}

function runCompare(): void {
  const out = byId('compare-out');
  try {
    const a = readCode(byId<HTMLInputElement>('compare-a').value, 'First ISCC');
    const b = readCode(byId<HTMLInputElement>('compare-b').value, 'Second ISCC');
    const result = isccNphCompare(a, b);
    const keys = Object.keys(result);
    if (!keys.length) {
      out.replaceChildren(h('p', { class: 'note warn' }, 'These two ISCCs have no unit type in common, so they cannot be compared.'));
      announce('No unit types in common');
      return;
    }
    const name = (code: string) => entries.find((e) => e.iscc === code)?.filename ?? code;
    const sim = (prefix: string): number | undefined => keys.filter((k) => k.startsWith(prefix)).map((k) => result[k]!.similarity)[0];
    const content = sim('CONTENT_');
    const data = sim('DATA_');
    let verdict: string;
    if (sim('INSTANCE_') === 1) verdict = 'The same file.';
    else if (content !== undefined) {
      verdict = content >= 0.9 ? 'Different files with near-identical content.'
        : content >= 0.75 ? 'Different files with similar content.' : 'Different files with different content.';
    } else if (data !== undefined) {
      verdict = data >= 0.9 ? 'Different files with near-identical bytes.' : data >= 0.75 ? 'Different files with partly shared bytes.' : 'Different files with unrelated bytes.';
    } else verdict = 'Different files.';
    const items = keys.map((k) => {
      const { similarity, common_prefix_bits } = result[k]!;
      const { maintype, title } = compareKeyTitle(k);
      const pct = Math.round(similarity * 1000) / 10;
      const words = maintype === 'INSTANCE' ? (similarity === 1 ? 'identical file' : 'different file') : `${pct} % similar`;
      return h('li', { 'data-mt': maintype, 'data-key': k, 'data-similarity': String(similarity) },
        h('div', { class: 'bar-label' }, h('strong', {}, title), h('span', {}, `${words} · ${common_prefix_bits} bits compared`)),
        bar(similarity, `${title}: ${words}`),
      );
    });
    out.replaceChildren(
      h('div', { class: 'card', style: 'margin-top:12px' },
        h('p', { class: 'muted', style: 'margin:0;overflow-wrap:anywhere' }, `${name(a)} ↔ ${name(b)}`),
        h('p', { class: 'verdict' }, verdict),
        h('ul', { class: 'bars', 'aria-label': 'Similarity per unit' }, items),
      ),
    );
    announce(`${verdict} Compared ${keys.length} unit types: ` + keys.map((k) => `${compareKeyTitle(k).title} ${Math.round(result[k]!.similarity * 100)} percent`).join(', '));
  } catch (e) {
    out.replaceChildren(h('p', { class: 'error' }, errorText(e)));
    announce(errorText(e));
  }
}

// ---------------------------------------------------------------- search

async function runSearch(): Promise<void> {
  const out = byId('search-out');
  try {
    const code = readCode(byId<HTMLInputElement>('search-code').value, 'ISCC');
    const count = Math.min(100, Math.max(1, Number(byId<HTMLInputElement>('search-count').value) || 10));
    out.replaceChildren(h('p', { class: 'muted' }, 'Searching…'));
    const r = await searchIndex(code, count);
    if (!r.hits.length) {
      out.replaceChildren(h('p', { class: 'note' }, 'No similar entries in the index.'));
      announce('No similar entries found');
      return;
    }
    const exact = new Set(r.instanceMatches);
    out.replaceChildren(
      h('div', { class: 'card', style: 'margin-top:12px' },
        h('p', { style: 'margin:0' }, h('strong', {}, `${r.hits.length} similar ${r.hits.length === 1 ? 'entry' : 'entries'}`)),
        h('ol', { class: 'hits', 'aria-label': 'Search results, most similar first' },
          r.hits.map((hit) => {
            const sim = Math.max(0, 1 - hit.distance);
            const pct = `${Math.round(sim * 1000) / 10} %`;
            return h('li', { class: 'hit', 'data-iscc-id': hit.iscc_id },
              h('code', {}, hit.iscc_id),
              h('span', {}, exact.has(hit.iscc_id) ? h('span', { class: 'ok' }, 'same file') : null, ' ', pct),
              bar(sim, `${hit.iscc_id}: ${pct} similar`),
            );
          }),
        ),
      ),
    );
    announce(`${r.hits.length} similar entries found`);
  } catch (e) {
    out.replaceChildren(h('p', { class: 'error' }, `Search failed: ${errorText(e)}`));
    announce(`Search failed: ${errorText(e)}`);
  }
}

// ---------------------------------------------------------------- keys and declare

function renderKey(): void {
  const status = byId('key-status');
  if (key) {
    status.replaceChildren('Public key ', h('code', { class: 'mono', style: 'overflow-wrap:anywhere', 'data-pubkey': key.public_key }, key.public_key),
      ' — kept in this browser only. Export it to keep a copy.');
  } else {
    status.textContent = 'No key yet. Generate one (it stays in this browser) or import one you exported before.';
  }
  byId<HTMLButtonElement>('key-export').disabled = !key;
  byId<HTMLButtonElement>('key-forget').disabled = !key;
}

function setupKeys(): void {
  byId('key-generate').addEventListener('click', async () => {
    if (key && !confirm('Replace your current key? Export it first if you still need it.')) return;
    try {
      key = await newKey();
      renderKey();
      announce('New key generated');
    } catch (e) {
      byId('key-status').textContent = `Could not generate a key: ${errorText(e)} (this browser may lack Ed25519 in WebCrypto)`;
    }
  });
  byId('key-export').addEventListener('click', () => {
    if (!key) return;
    const url = URL.createObjectURL(new Blob([keyJson(key) + '\n'], { type: 'application/json' }));
    const a = h('a', { href: url, download: `iscc-key-${key.public_key.slice(0, 12)}.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    announce('Key exported as a JSON file; keep it secret');
  });
  const toggle = byId<HTMLButtonElement>('key-import-toggle');
  const form = byId<HTMLFormElement>('key-import-form');
  toggle.addEventListener('click', () => {
    form.hidden = !form.hidden;
    toggle.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) byId('key-import-secret').focus();
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = byId<HTMLInputElement>('key-import-secret');
    try {
      key = await importKey(input.value);
      input.value = '';
      form.hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
      renderKey();
      announce('Key imported');
    } catch (err) {
      byId('key-status').textContent = `Could not import the key: ${errorText(err)}`;
    }
  });
  byId('key-forget').addEventListener('click', () => {
    if (!confirm('Forget the key in this browser? Without an exported copy it is gone.')) return;
    forgetKey();
    key = null;
    renderKey();
    announce('Key forgotten');
  });
}

async function runDeclare(): Promise<void> {
  const out = byId('declare-out');
  const entry = entries.find((e) => String(e.id) === byId<HTMLSelectElement>('declare-file').value);
  if (!entry) {
    out.replaceChildren(h('p', { class: 'error' }, 'Choose a computed file first.'));
    return;
  }
  const button = byId<HTMLButtonElement>('declare-submit');
  button.disabled = true;
  try {
    if (!key) {
      key = await newKey();
      renderKey();
    }
    out.replaceChildren(h('p', { class: 'muted' }, 'Signing and declaring…'));
    const note = await buildIsccNote(
      { iscc_code: entry.iscc, datahash: entry.datahash, ...(entry.metahash ? { metahash: entry.metahash } : {}) },
      key,
      { hubId: await hubId() },
    );
    const receipt = await declare(note);
    const subject = receipt['credentialSubject'] as { declaration?: { iscc_id?: string; seq?: number } } | undefined;
    const isccId = subject?.declaration?.iscc_id ?? '?';
    out.replaceChildren(
      h('div', { class: 'card', style: 'margin-top:12px' },
        h('p', { class: 'ok', style: 'margin:0' }, `Declared ${entry.filename}`),
        h('div', { class: 'iscc-code' }, h('code', { class: 'iscc-id', 'data-iscc-id': isccId }, isccId)),
        h('p', { class: 'muted', style: 'margin:0' }, `Log entry ${subject?.declaration?.seq ?? '?'} · signed by ${key.public_key} · `,
          h('a', { href: `/hub/${encodeURIComponent(isccId)}`, target: '_blank', rel: 'noopener' }, 'view the declaration')),
        h('details', {}, h('summary', {}, 'Receipt'), h('pre', { class: 'json' }, JSON.stringify(receipt, null, 2))),
      ),
    );
    announce(`Declared: ${isccId}`);
  } catch (e) {
    out.replaceChildren(h('p', { class: 'error' }, `Declaration failed: ${errorText(e)}`));
    announce(`Declaration failed: ${errorText(e)}`);
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- start

async function start(): Promise<void> {
  window.isccPage = { entries, ready: false };
  setupDrop();
  setupKeys();
  const server = byId<HTMLInputElement>('opt-server');
  const onServer = () => {
    byId('upload-warning').hidden = !server.checked;
    byId('drop').classList.toggle('upload', server.checked);
  };
  server.addEventListener('change', onServer);
  onServer();
  byId('clear-results').addEventListener('click', clearResults);
  for (const id of ['compare-a', 'compare-b', 'search-code']) {
    byId(id).addEventListener('input', (e) => { (e.target as HTMLElement).dataset.touched = '1'; });
  }
  byId('compare-form').addEventListener('submit', (e) => { e.preventDefault(); runCompare(); });
  byId('search-form').addEventListener('submit', (e) => { e.preventDefault(); void runSearch(); });
  byId('declare-form').addEventListener('submit', (e) => { e.preventDefault(); void runDeclare(); });
  key = await loadKey();
  renderKey();
  window.isccPage.ready = true;
}

void start();
