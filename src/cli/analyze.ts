// `analyze FILE [--dump state|desc]`: read a migration stream written by QEMU
// (`migrate "exec:cat > FILE"`) or by pseries-lab, raw or gzip'd.
//   default       the configuration's machine type and one line per section record
//   --dump state  the device state as JSON, in the format of QEMU's
//                 scripts/analyze-migration.py -d state
//   --dump desc   the stream's vmdesc JSON, pretty-printed (analyze-migration.py -d desc)
//   --extract DIR what analyze-migration.py -x writes, into DIR: desc.json, one file per RAM
//                 block (named after the block, its full length, pages in place), state.json
// Exit code 0 when the whole stream was read, 1 otherwise.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { analyzeStream, formatDesc, formatState, formatSummary, writeState } from '../core/vmstate/analyze';

export interface AnalyzeCliOptions {
  dump?: 'state' | 'desc';
  extract?: string;
}

/** The stream's bytes, gunzipped when the file starts with the gzip magic 1f 8b. */
export async function readStreamFile(file: string): Promise<Uint8Array> {
  const raw = new Uint8Array(await readFile(file));
  return raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b ? new Uint8Array(gunzipSync(raw)) : raw;
}

/**
 * `out` takes one line at a time (without its newline). `write`, when given, takes the
 * `--dump state` JSON instead, as ASCII chunks with the newlines in (megabytes of it: one
 * write per chunk rather than per line).
 */
export async function analyze(file: string, opts: AnalyzeCliOptions, out: (line: string) => void, write?: (chunk: Uint8Array) => void): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = await readStreamFile(file);
  } catch (e) {
    out(`error: ${file}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  if (opts.extract !== undefined) return extract(bytes, opts.extract, out);
  const a = analyzeStream(bytes, { state: opts.dump === 'state' });
  if (opts.dump === 'desc') {
    if (a.vmdescText === undefined) {
      out('error: no vmdesc JSON at the end of the stream');
      return 1;
    }
    for (const l of formatDesc(a)) out(l);
    return 0;
  }
  if (opts.dump === 'state') {
    if (a.error) {
      out(`error: ${a.error}`);
      return 1;
    }
    if (write) writeState(a, write);
    else for (const l of formatState(a)) out(l);
    return 0;
  }
  for (const l of formatSummary(a)) out(l);
  return a.error ? 1 : 0;
}

/** analyze-migration.py -x: desc.json, the RAM blocks, state.json; each name printed as written. */
async function extract(bytes: Uint8Array, dir: string, out: (line: string) => void): Promise<number> {
  const a = analyzeStream(bytes, { state: true, extract: true });
  if (a.error) {
    out(`error: ${a.error}`);
    return 1;
  }
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  if (a.vmdescText !== undefined) {
    out('desc.json');
    await writeFile(join(root, 'desc.json'), formatDesc(a).join('\n'));
  }
  for (const [name, data] of a.ramBlocks ?? []) {
    const file = resolve(root, name);
    if (!file.startsWith(root + '/')) {
      out(`error: RAM block name '${name}' leaves ${dir}`);
      return 1;
    }
    out(name);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, data);
  }
  out('state.json');
  const chunks: Uint8Array[] = [];
  writeState(a, (c) => chunks.push(c));
  // the script writes the JSON without a final newline
  const text = Buffer.concat(chunks);
  await writeFile(join(root, 'state.json'), text.subarray(0, text.length - 1));
  return 0;
}
