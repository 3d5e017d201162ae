// The live device tree (spapr->fdt_blob): a collapsible tree with decoded properties, the same
// tree as DTS (read-only Monaco), and the blob itself as a download.

import { lazy, Suspense, useMemo, useState } from 'react';
import { fdtParse } from '../core/spapr/fdt';
import type { Column } from '../store/session';
import { decodeTree, dtsDiff, toDts, type DecodedProp, type TreeNode } from './fdtView';
import type { Lab } from './lab';
import { useSnapshot } from './useSnapshot';

// Monaco loads with the DTS view, not with the page
const CodeView = lazy(() => import('./CodeView'));

function download(name: string, bytes: Uint8Array, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export { download };

const LONG = 160;

function PropValue({ p }: { p: DecodedProp }) {
  const [all, setAll] = useState(false);
  if (p.dts.length <= LONG || all) return <span className="dt-pval">{p.dts}</span>;
  return (
    <>
      <span className="dt-pval">{p.dts.slice(0, LONG).replace(/\s\S*$/, '')} …</span>
      <button type="button" className="dt-more" onClick={() => setAll(true)}>show all {p.length} bytes</button>
    </>
  );
}

function Node({ n, depth }: { n: TreeNode; depth: number }) {
  const [open, setOpen] = useState(n.props.length <= 12);
  return (
    <li className="dt-node" data-path={n.path}>
      <button type="button" className="dt-toggle" onClick={() => setOpen(!open)} aria-expanded={open}>
        <span className="caret">{open ? '▾' : '▸'}</span>
        <span className="dt-name">{n.name}</span>
        {!open && <span className="dt-count">{n.props.length} properties, {n.children.length} nodes</span>}
      </button>
      {open && (
        <ul className="dt-body">
          {n.props.map((p) => (
            <li key={p.name} className={`dt-prop k-${p.kind}`} title={`${p.length} bytes`}>
              <span className="dt-pname">{p.name}</span>
              {p.kind !== 'empty' && <> = <PropValue p={p} /></>}
              {p.note && <span className="dt-note">{p.note}</span>}
            </li>
          ))}
          {n.children.map((c) => <Node key={c.name} n={c} depth={depth + 1} />)}
        </ul>
      )}
    </li>
  );
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A blob decoded: the tree at once, the DTS and the CAS diff when a view first asks for them. */
class Decoded {
  readonly tree: TreeNode | null = null;
  readonly error: string | null = null;
  private root: ReturnType<typeof fdtParse> | null = null;
  private text?: string;
  private diff?: ReturnType<typeof dtsDiff> | null;

  constructor(readonly blob: Uint8Array, readonly beforeCas?: Uint8Array) {
    try {
      this.root = fdtParse(blob);
      this.tree = decodeTree(this.root);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  get dts(): string {
    this.text ??= this.root ? toDts(this.root) : '';
    return this.text;
  }

  /** The tree the guest had before CAS rebuilt it, against the current one (null: no CAS). */
  get casDiff(): ReturnType<typeof dtsDiff> | null {
    if (this.diff === undefined) {
      try {
        this.diff = this.beforeCas && this.root ? dtsDiff(toDts(fdtParse(this.beforeCas)), this.dts) : null;
      } catch {
        this.diff = null;
      }
    }
    return this.diff;
  }
}

/**
 * The last trees decoded, by their bytes: a fresh machine (a migration's destination, the
 * panel opened again) mostly has a tree already decoded, and decoding one takes a while.
 */
const DECODED: Decoded[] = [];
const DECODED_KEPT = 4;

function decoded(blob: Uint8Array, beforeCas?: Uint8Array): Decoded {
  const hit = DECODED.find((d) => sameBytes(d.blob, blob) && sameBytes(d.beforeCas, beforeCas));
  if (hit) return hit;
  const d = new Decoded(blob, beforeCas);
  DECODED.unshift(d);
  DECODED.length = Math.min(DECODED.length, DECODED_KEPT);
  return d;
}

export function DeviceTreePanel({ lab, column }: { lab: Lab; column: Column }) {
  const { snap, error } = useSnapshot(lab, column, { kind: 'fdt' }, 2000);
  const [view, setView] = useState<'tree' | 'dts' | 'cas'>('tree');
  const parsed = useMemo(() => (snap ? decoded(snap.blob, snap.beforeCas) : null), [snap]);
  const name = lab.store(column).getState().name;

  return (
    <div className="panel dt-panel" data-testid={`dt-${column}`}>
      <div className="panel-bar">
        <div className="seg">
          <button type="button" className={view === 'tree' ? 'on' : ''} onClick={() => setView('tree')}>tree</button>
          <button type="button" className={view === 'dts' ? 'on' : ''} onClick={() => setView('dts')} data-testid={`dt-dts-button-${column}`}>DTS</button>
          <button type="button" className={view === 'cas' ? 'on' : ''} onClick={() => setView('cas')} data-testid={`dt-cas-button-${column}`}
            title="the tree before the last CAS against the tree now">before/after CAS</button>
        </div>
        {snap && <span className="muted">{snap.machineType} · fdt_size {snap.blob.length} bytes (initial {snap.initialSize})</span>}
        <button type="button" className="tool" disabled={!snap || snap.blob.length === 0}
          onClick={() => snap && download(`${name}.dtb`, snap.blob)} data-testid={`dt-download-${column}`}>download .dtb</button>
      </div>
      {error && <div className="panel-error">{error}</div>}
      {parsed?.error && <div className="panel-error">{parsed.error}</div>}
      {!snap && !error && <div className="panel-empty">reading the device tree…</div>}
      {snap && snap.blob.length === 0 && <div className="panel-empty">no device tree yet: it is built at machine reset</div>}
      <div className="panel-scroll">
        {parsed?.tree && view === 'tree' && <ul className="dt-tree"><Node n={parsed.tree} depth={0} /></ul>}
        {parsed?.tree && view === 'dts' && (
          <Suspense fallback={<pre className="dts">{parsed.dts}</pre>}>
            <CodeView text={parsed.dts} language="dts" testId={`dts-${column}`} className="dts-view" />
          </Suspense>
        )}
        {parsed?.tree && view === 'cas' && !parsed.casDiff && (
          <div className="panel-empty" data-testid={`dt-cas-${column}`}>no CAS since the last reset: the guest has the tree built at reset</div>
        )}
        {parsed?.casDiff && view === 'cas' && (
          <pre className="dts dts-diff" data-testid={`dt-cas-${column}`}>
            {parsed.casDiff.map((l, i) => (
              <div key={i} className={`d-${l.kind}`}>{l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}{l.text}</div>
            ))}
          </pre>
        )}
      </div>
    </div>
  );
}
