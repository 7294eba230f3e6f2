/**
 * `iscc embed FILE --name .. --description .. --out PATH`: write metadata into a copy of a
 * file (@iscc-ts/sdk `embedMetadata`, iscc-sdk's `embed_metadata`); the original is never
 * changed. Prints the path of the copy (or `--json` with the metadata read back from it).
 */
import type { CommandSpec } from '../command.ts';
import { UsageError } from '../command.ts';
import { toJson } from '../output.ts';
import { loadSdk } from '../media.ts';

/** Metadata fields that can be given on the command line (iscc-sdk's embeddable fields). */
const FIELDS = ['name', 'description', 'meta', 'creator', 'license', 'acquire', 'rights', 'identifier'] as const;

const spec: CommandSpec = {
  name: 'embed',
  summary: 'Write metadata (title, description, ...) into a copy of a file',
  usage: '[OPTIONS] FILE',
  description:
    'Embeds the given fields into a copy of FILE (images: XMP, as iscc-sdk), so that iscc extract and\n' +
    'iscc create read them back. Without --out the copy is written to a temporary file whose path is\n' +
    'printed. Give at least one field.',
  options: [
    { name: 'out', short: 'o', type: 'string', valueName: 'PATH', description: 'Where to write the copy' },
    { name: 'json', type: 'boolean', description: 'Print {"path", "meta"} with the metadata read back from the copy' },
    { name: 'name', short: 'n', type: 'string', valueName: 'TEXT', description: 'Title' },
    { name: 'description', short: 'd', type: 'string', valueName: 'TEXT', description: 'Description' },
    { name: 'meta', type: 'string', valueName: 'JSON', description: 'Extended metadata, as text (JSON or a data URL)' },
    { name: 'creator', type: 'string', valueName: 'TEXT', description: 'Creator' },
    { name: 'license', type: 'string', valueName: 'URL', description: 'License URL' },
    { name: 'acquire', type: 'string', valueName: 'URL', description: 'Where to acquire a license' },
    { name: 'rights', type: 'string', valueName: 'TEXT', description: 'Copyright notice' },
    { name: 'identifier', type: 'string', valueName: 'ID', description: 'An identifier (e.g. an ISCC)' },
  ],
  examples: [
    {
      command: "iscc embed --name 'Demo title' --description 'Embedded by iscc embed' --out /tmp/iscc-embed-demo.jpg ../shared/samples/image/demo.jpg",
      explains: 'Write a title and description into a copy of an image.',
    },
    {
      command: "iscc embed --json --creator 'Jane Doe' --out /tmp/iscc-embed-demo.png ../shared/samples/image/demo.png",
      explains: 'Embed a creator and show the metadata read back from the copy.',
    },
  ],
  exitCodes: [
    { code: 0, meaning: 'the copy was written' },
    { code: 2, meaning: 'usage error, unreadable file, or a format that cannot carry metadata' },
  ],
  async run(ctx) {
    const [file, ...extra] = ctx.args.positionals;
    if (!file || extra.length > 0) throw new UsageError('give exactly one FILE');
    const meta: Record<string, unknown> = {};
    for (const f of FIELDS) {
      const v = ctx.args.options[f];
      if (typeof v === 'string') meta[f] = v;
    }
    if (Object.keys(meta).length === 0) throw new UsageError(`give at least one field to embed (--${FIELDS.join(', --')})`);
    const sdk = await loadSdk();
    const out = typeof ctx.args.options.out === 'string' ? ctx.args.options.out : undefined;
    const written = await sdk.embedMetadata(file, meta, { outpath: out });
    if (written === undefined) {
      ctx.stderr.write(`iscc embed: ${file}: this file type cannot carry embedded metadata\n`);
      return 2;
    }
    if (ctx.args.options.json) {
      const back = await sdk.extractMetadata(written, sdk.resolveOptions({}, ctx.env));
      ctx.stdout.write(toJson({ path: written, meta: back }) + '\n');
    } else ctx.stdout.write(`${written}\n`);
    return 0;
  },
};
export default spec;
