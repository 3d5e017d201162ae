// Option vector 5 by QEMU's bit names: what the platform offers (spapr->ov5) and what CAS
// negotiated (spapr->ov5_cas), differences highlighted.

import type { Column } from '../store/session';
import type { Lab } from './lab';
import { useSnapshot } from './useSnapshot';

function bytesHex(b: number[]): string {
  return b.length ? b.map((x) => x.toString(16).padStart(2, '0')).join(' ') : '(all zero)';
}

export function Ov5Panel({ lab, column }: { lab: Lab; column: Column }) {
  const { snap, error } = useSnapshot(lab, column, { kind: 'ov5' }, 1000);
  const differ = snap ? snap.bits.filter((b) => b.platform !== b.negotiated).length : 0;
  const negotiatedAny = snap ? snap.negotiatedBytes.length > 0 : false;
  return (
    <div className="panel ov5-panel" data-testid={`ov5-${column}`}>
      <div className="panel-bar">
        {snap && <span className="muted">{snap.machineType} · {negotiatedAny ? `CAS negotiated; ${differ} bits differ from the platform` : 'ov5_cas is empty: CAS has not run since the last reset'}</span>}
      </div>
      {error && <div className="panel-error">{error}</div>}
      {!snap && !error && <div className="panel-empty">reading the option vectors…</div>}
      {snap && (
        <div className="panel-scroll">
          <table className="grid ov5-table">
            <thead>
              <tr><th>bit</th><th>OV_BIT</th><th>name</th><th className="c">platform<br /><span className="sub">spapr-&gt;ov5</span></th><th className="c">negotiated<br /><span className="sub">spapr-&gt;ov5_cas</span></th></tr>
            </thead>
            <tbody>
              {snap.bits.map((b) => (
                <tr key={b.name} data-bit={b.name} className={b.platform !== b.negotiated ? 'differs' : ''}>
                  <td className="num">{b.bit}</td>
                  <td className="num">({(b.bit >> 3) + 1}, {b.bit & 7})</td>
                  <td className="mono">{b.name}</td>
                  <td className={`c ${b.platform ? 'on' : 'off'}`}>{b.platform ? '1' : '0'}</td>
                  <td className={`c ${b.negotiated ? 'on' : 'off'}`}>{b.negotiated ? '1' : '0'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="ov5-raw mono">
            <div><span className="label">spapr-&gt;ov5</span> {bytesHex(snap.platformBytes)}</div>
            <div><span className="label">spapr-&gt;ov5_cas</span> {bytesHex(snap.negotiatedBytes)}</div>
          </div>
        </div>
      )}
    </div>
  );
}
