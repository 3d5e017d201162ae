// The stream inspector: open a QEMU migration stream file (raw or gzip'd; ours or QEMU's),
// or the last stream an instance here sent, and see its records section by section.

import { lazy, Suspense, useState } from 'react';
import { useStore } from 'zustand';
import { analyzeStream, type StreamAnalysis } from '../core/vmstate/analyze';
import { setInspector } from '../store/layout';
import type { Lab } from './lab';
import { download } from './DeviceTreePanel';

// Monaco loads with the vmdesc view, not with the page
const CodeView = lazy(() => import('./CodeView'));

interface Opened { name: string; size: number; gzip: boolean; analysis: StreamAnalysis; bytes: Uint8Array }

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function openStream(name: string, raw: Uint8Array): Promise<Opened> {
  const gzip = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
  const bytes = gzip ? await gunzip(raw) : raw;
  return { name, size: raw.length, gzip, analysis: analyzeStream(bytes), bytes };
}

function instance(id: number): string {
  return id >= 0x80000000 ? `0x${id.toString(16)}` : String(id);
}

export function StreamInspector({ lab }: { lab: Lab }) {
  const [opened, setOpened] = useState<Opened | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [drag, setDrag] = useState(false);
  const [parts, setParts] = useState(false);
  const last = useStore(lab.session, (s) => s.last);
  const lastStatus = useStore(last ? lab.store(last.from) : lab.store('left'), (s) => s.migration?.status);

  const load = async (name: string, data: Promise<Uint8Array>) => {
    setBusy(true);
    setError(null);
    try {
      setOpened(await openStream(name, await data));
    } catch (e) {
      setError(`${name}: ${(e as Error).message}`);
    }
    setBusy(false);
  };

  const lastStream = async (): Promise<Uint8Array> => {
    if (!last) throw new Error('no migration yet');
    const snap = await lab.query(last.from, { kind: 'stream' });
    if (!snap || snap.kind !== 'stream' || !snap.bytes) throw new Error('the source kept no stream');
    return snap.bytes;
  };
  const lastName = () => `${last ? lab.store(last.from).getState().name : 'vm'}-migration.bin`;

  const a = opened?.analysis;
  const partCount = a ? a.records.filter((r) => r.type === 'PART').length : 0;
  const shown = a ? a.records.filter((r) => parts || r.type !== 'PART') : [];
  return (
    <section className={`inspector${drag ? ' drag' : ''}`} data-testid="inspector"
      onDragOver={(e) => { e.preventDefault(); setDrag(true); }}
      onDragLeave={() => setDrag(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDrag(false);
        const f = e.dataTransfer.files[0];
        if (f) void load(f.name, f.arrayBuffer().then((b) => new Uint8Array(b)));
      }}>
      <header className="inspector-head">
        <h2>stream inspector</h2>
        <label className="tool file">
          Open stream…
          <input type="file" data-testid="inspector-file" onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void load(f.name, f.arrayBuffer().then((b) => new Uint8Array(b)));
            e.target.value = '';
          }} />
        </label>
        <button type="button" className="tool" disabled={!last || busy || !lastStatus || lastStatus === 'setup'}
          data-testid="inspector-last" onClick={() => void load(lastName(), lastStream())}>Inspect last stream</button>
        <button type="button" className="tool" disabled={!last || busy || lastStatus !== 'completed'}
          data-testid="inspector-save" onClick={() => {
            lastStream().then((b) => download(lastName(), b), (e: Error) => setError(e.message));
          }}>Save last stream</button>
        <span className="muted">or drop a file here · raw or gzip'd QEMU 7.2 streams</span>
        <button type="button" className="close" title="close the inspector" onClick={() => setInspector(lab.layout, false)}>×</button>
      </header>
      {busy && <div className="panel-empty">decoding…</div>}
      {error && <div className="panel-error" data-testid="inspector-error">{error}</div>}
      {opened && a && (
        <>
          <div className="inspector-meta mono" data-testid="inspector-meta">
            <span><b>{opened.name}</b></span>
            <span>{opened.size.toLocaleString('en-US')} bytes{opened.gzip ? ` gzip'd, ${a.fileSize.toLocaleString('en-US')} raw` : ''}</span>
            <span>machine '{a.machine ?? '(none)'}'</span>
            <span>{a.records.length} records</span>
            {partCount > 0 && (
              <label className="check">
                <input type="checkbox" checked={parts} onChange={(e) => setParts(e.target.checked)} data-testid="inspector-parts" />
                show the {partCount} PART records
              </label>
            )}
            {a.ram.pages + a.ram.zeroPages > 0 && <span>RAM: {a.ram.pages.toLocaleString('en-US')} pages, {a.ram.zeroPages.toLocaleString('en-US')} zero pages</span>}
            {a.eofOffset !== undefined && <span>EOF at 0x{a.eofOffset.toString(16)}</span>}
            {a.vmdescOffset !== undefined && <span>vmdesc at 0x{a.vmdescOffset.toString(16)}</span>}
          </div>
          {a.error && <div className="panel-error">error: {a.error}</div>}
          {a.warnings.map((w, i) => <div key={i} className="panel-warning">warning: {w}</div>)}
          <div className="inspector-table">
            <table className="grid" data-testid="inspector-table">
              <thead>
                <tr><th>offset</th><th>type</th><th className="num">id</th><th>name</th><th className="num">instance</th><th className="num">version</th><th className="num">size</th><th>summary</th></tr>
              </thead>
              <tbody>
                {shown.map((r, i) => (
                  <tr key={i} className={`rec-${r.type}`} data-idstr={r.idstr}>
                    <td className="num mono">0x{r.offset.toString(16)}</td>
                    <td className="mono">{r.type}</td>
                    <td className="num">{r.sectionId}</td>
                    <td className="mono">{r.idstr}</td>
                    <td className="num">{instance(r.instanceId)}</td>
                    <td className="num">{r.version}</td>
                    <td className="num">{r.size.toLocaleString('en-US')}</td>
                    <td className="summary">{r.summary ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {a.vmdescText !== undefined && (
            <details className="vmdesc">
              <summary>vmdesc JSON ({a.vmdescText.length.toLocaleString('en-US')} characters)</summary>
              <Suspense fallback={<pre>{prettyJson(a.vmdescText)}</pre>}>
                <CodeView text={prettyJson(a.vmdescText)} language="json" testId="vmdesc-json" className="vmdesc-view" />
              </Suspense>
            </details>
          )}
        </>
      )}
      {!opened && !busy && !error && <div className="panel-empty">no stream opened</div>}
    </section>
  );
}

function prettyJson(text: string): string {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
}
