/**
 * `iscc extract FILE...`: the metadata embedded in files (@iscc-ts/sdk `extractMetadata`:
 * name, description, creator, license, rights, width, height, duration, ...), as `key: value`
 * lines or `--json`; with `--text`, the plain text of documents instead (iscc-sdk's
 * `extract`, which prints the cleaned text).
 */
import type { CommandSpec } from '../command.ts';
import { UsageError } from '../command.ts';
import { styles, toJson, useColor } from '../output.ts';
import { describeFailure, loadSdk } from '../media.ts';

/** The text extractor of the sdk's text mode, when this build has one. */
async function textExtractor(): Promise<((path: string) => Promise<string>) | null> {
  const sdk = (await loadSdk()) as unknown as Record<string, unknown>;
  const fn = sdk['extractText'] ?? sdk['textExtract'];
  return typeof fn === 'function' ? (fn as (path: string) => Promise<string>) : null;
}

const spec: CommandSpec = {
  name: 'extract',
  summary: 'Show the metadata embedded in files (or the text of documents)',
  usage: '[OPTIONS] FILE...',
  description:
    'Reads the metadata that iscc create uses (XMP/EXIF/IPTC of images, tags of audio and video,\n' +
    'document properties) and prints it in iscc-sdk\'s field names. With --text, prints the plain text\n' +
    'of a document, cleaned as for the Text-Code.',
  options: [
    { name: 'json', type: 'boolean', description: 'Print JSON (an object per file; an array for several files)' },
    { name: 'text', short: 't', type: 'boolean', description: 'Print the text of documents instead of metadata' },
  ],
  examples: [
    { command: 'iscc extract ../shared/samples/image/demo.jpg', explains: 'Title, creator, rights and size of an image.' },
    { command: 'iscc extract --json ../shared/samples/image/demo.png', explains: 'The same as JSON.' },
    { command: 'iscc extract --text ../shared/samples/text/demo.docx', explains: 'The plain text of a document, cleaned as for its Text-Code.' },
  ],
  exitCodes: [
    { code: 0, meaning: 'every file was read' },
    { code: 2, meaning: 'usage error, or a file could not be read (the others are still printed)' },
  ],
  async run(ctx) {
    const files = ctx.args.positionals;
    if (files.length === 0) throw new UsageError('give at least one FILE');
    const sdk = await loadSdk();
    const st = styles(useColor(ctx, ctx.stdout));
    const json = Boolean(ctx.args.options.json);
    let failed = 0;
    const out: Record<string, unknown>[] = [];
    if (ctx.args.options.text) {
      const extract = await textExtractor();
      if (!extract) {
        ctx.stderr.write('iscc extract: this build of @iscc-ts/sdk has no text extraction\n');
        return 2;
      }
      const core = await import('@iscc-ts/core');
      for (const file of files) {
        try {
          const text = core.textClean(await extract(file));
          if (json) out.push({ filename: file, text });
          else ctx.stdout.write(text.endsWith('\n') ? text : text + '\n');
        } catch (e) {
          failed++;
          const f = describeFailure(e);
          ctx.stderr.write(`iscc extract: ${file}: ${f.message} [${f.code}]\n`);
        }
      }
    } else {
      for (const file of files) {
        try {
          const meta = await sdk.extractMetadata(file, sdk.resolveOptions({}, ctx.env));
          if (json) out.push(files.length > 1 ? { filename: file, ...meta } : meta);
          else {
            if (files.length > 1) ctx.stdout.write(`${st.bold(file)}\n`);
            for (const [k, v] of Object.entries(meta)) {
              const value = typeof v === 'string' ? v : JSON.stringify(v);
              ctx.stdout.write(`${files.length > 1 ? '  ' : ''}${st.cyan(k + ':')} ${value}\n`);
            }
          }
        } catch (e) {
          failed++;
          const f = describeFailure(e);
          ctx.stderr.write(`iscc extract: ${file}: ${f.message} [${f.code}]\n`);
        }
      }
    }
    if (json && (files.length > 1 || out.length === 1)) ctx.stdout.write(toJson(files.length === 1 ? out[0] : out) + '\n');
    return failed > 0 ? 2 : 0;
  },
};
export default spec;
