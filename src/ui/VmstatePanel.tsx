// Every section this instance would send if a migration started now (QEMU's SaveStateEntry
// list), with the size of its payload and each subsection's needed() right now.

import { Fragment, useMemo, useRef, useState } from 'react';
import type { Column } from '../store/session';
import type { VmstateSubsectionInfo } from '../worker/protocol';
import type { Lab } from './lab';
import { useSnapshot } from './useSnapshot';

function instanceId(id: number): string {
  return id >= 0x10000 ? `0x${id.toString(16)}` : String(id);
}

function Subsections({ list, fresh }: { list: VmstateSubsectionInfo[]; fresh: Set<string> }) {
  if (!list.length) return null;
  return (
    <ul className="vm-subs">
      {list.map((s) => (
        // Keyed on needed too: a subsection that just became pending remounts and flashes.
        <li key={`${s.name}/${s.needed}`} className={`${s.needed ? 'pending' : 'idle'}${fresh.has(s.name) ? ' flash' : ''}`}
          data-subsection={s.name} data-needed={s.needed}>
          <span className="vm-flag">{s.needed ? 'pending' : 'not needed'}</span>
          <span className="vm-sname">{s.name}</span>
          {s.reason && <span className="vm-reason">{s.reason}</span>}
          <Subsections list={s.subsections} fresh={fresh} />
        </li>
      ))}
    </ul>
  );
}

export function VmstatePanel({ lab, column }: { lab: Lab; column: Column }) {
  const { snap, error } = useSnapshot(lab, column, { kind: 'vmstate' }, 1000);
  const pending = snap ? snap.sections.reduce((n, s) => n + s.subsections.filter((x) => x.needed).length, 0) : 0;
  const total = snap ? snap.sections.reduce((n, s) => n + (s.size ?? 0), 0) : 0;
  const [showAll, setShowAll] = useState(false);
  // Subsections whose needed() went from false to true since the previous snapshot.
  const before = useRef<Map<string, boolean> | null>(null);
  const fresh = useMemo(() => {
    const now = new Map<string, boolean>();
    const walk = (idstr: string, l: VmstateSubsectionInfo[]) => l.forEach((x) => { now.set(`${idstr}:${x.name}`, x.needed); walk(idstr, x.subsections); });
    snap?.sections.forEach((sec) => walk(sec.idstr, sec.subsections));
    const out = new Set<string>();
    const prev = before.current;
    if (prev) for (const [k, v] of now) if (v && prev.get(k) === false) out.add(k.slice(k.indexOf(':') + 1));
    before.current = now;
    return out;
  }, [snap]);
  const notSent = snap ? snap.sections.filter((s) => !s.needed).length : 0;
  const rows = snap ? snap.sections.filter((s) => showAll || s.needed) : [];
  return (
    <div className="panel vm-panel" data-testid={`vmstate-${column}`}>
      <div className="panel-bar">
        {snap && <span className="muted">{snap.machineType} · {snap.sections.length - notSent} sections sent · {pending} subsections pending · device state {total.toLocaleString('en-US')} bytes</span>}
        {notSent > 0 && (
          <label className="muted check">
            <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} data-testid={`vmstate-all-${column}`} />
            also the {notSent} registered sections not sent now
          </label>
        )}
      </div>
      {error && <div className="panel-error">{error}</div>}
      {!snap && !error && <div className="panel-empty">reading the vmstate registrations…</div>}
      {snap && (
        <div className="panel-scroll">
        <table className="grid vm-table">
          <thead>
            <tr><th>section</th><th className="vm-idstr">idstr</th><th>instance</th><th>version</th><th className="num">size</th><th>subsections</th></tr>
          </thead>
          <tbody>
            {rows.map((s) => {
              const pend = s.subsections.filter((x) => x.needed).length;
              return (
                <Fragment key={`${s.idstr}/${s.instanceId}`}>
                  <tr data-section={s.idstr} className={`vm-sec${s.needed ? '' : ' not-sent'}`}>
                    <td className="num">{s.sectionId}</td>
                    <td className="vm-idstr">{s.idstr}</td>
                    <td className="num">{instanceId(s.instanceId)}</td>
                    <td className="num">{s.version}</td>
                    <td className="num">{s.kind === 'live' ? 'live' : s.needed ? `${(s.size ?? 0).toLocaleString('en-US')} B` : 'not sent'}</td>
                    <td className="vm-sum">
                      {s.note ?? (s.subsections.length
                        ? `${s.subsections.length} subsection${s.subsections.length > 1 ? 's' : ''}, ${pend} pending`
                        : '')}
                    </td>
                  </tr>
                  {s.subsections.length > 0 && (
                    <tr data-subsections-of={s.idstr} className={`vm-subrow${s.needed ? '' : ' not-sent'}`}>
                      <td />
                      <td colSpan={5}><Subsections list={s.subsections} fresh={fresh} /></td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
        </div>
      )}
    </div>
  );
}
