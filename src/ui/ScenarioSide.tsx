// One machine of a scenario replay: its header (profile, machine type, runstate, insns), the
// cas_reboot and pending-reset indicators, its console, its event log up to the player's
// cursor, and the frame's snapshot as panels (device-tree cores, DRCs, vmstate). The panel the
// current step points at is outlined and scrolled into view.

import { Fragment, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  SPAPR_DRC_STATE_LOGICAL_AVAILABLE, SPAPR_DRC_STATE_LOGICAL_CONFIGURED, SPAPR_DRC_STATE_LOGICAL_UNISOLATE,
  SPAPR_DRC_STATE_LOGICAL_UNUSABLE, SPAPR_DRC_STATE_PHYSICAL_AVAILABLE, SPAPR_DRC_STATE_PHYSICAL_CONFIGURED,
  SPAPR_DRC_STATE_PHYSICAL_POWERON, SPAPR_DRC_STATE_PHYSICAL_UNISOLATE,
} from '../core/spapr/drc';
import type { RunState } from '../core/runstate';
import type { VmstateSubsectionInfo } from '../worker/protocol';
import type { PanelName, ScenarioEvent, SideName, SideSnapshot } from '../worker/scenario-protocol';
import { RunstateBadge } from './RunstateBadge';

/** QEMU's SpaprDrcState names (include/hw/ppc/spapr_drc.h). */
const DRC_STATES: Record<number, string> = {
  0: 'INVALID',
  [SPAPR_DRC_STATE_LOGICAL_UNUSABLE]: 'LOGICAL_UNUSABLE',
  [SPAPR_DRC_STATE_LOGICAL_AVAILABLE]: 'LOGICAL_AVAILABLE',
  [SPAPR_DRC_STATE_LOGICAL_UNISOLATE]: 'LOGICAL_UNISOLATE',
  [SPAPR_DRC_STATE_LOGICAL_CONFIGURED]: 'LOGICAL_CONFIGURED',
  [SPAPR_DRC_STATE_PHYSICAL_AVAILABLE]: 'PHYSICAL_AVAILABLE',
  [SPAPR_DRC_STATE_PHYSICAL_POWERON]: 'PHYSICAL_POWERON',
  [SPAPR_DRC_STATE_PHYSICAL_UNISOLATE]: 'PHYSICAL_UNISOLATE',
  [SPAPR_DRC_STATE_PHYSICAL_CONFIGURED]: 'PHYSICAL_CONFIGURED',
};

/** QEMU's name of a DRC state: `SPAPR_DRC_STATE_` + the short name shown. */
export function drcStateName(state: number): string {
  return `SPAPR_DRC_STATE_${drcStateShort(state)}`;
}

export function drcStateShort(state: number): string {
  return DRC_STATES[state] ?? `unknown (${state})`;
}

export const SIDE_LABEL: Record<SideName, string> = { src: 'source', dst: 'destination' };

export const PANEL_LABEL: Record<PanelName, string> = {
  console: 'console', trace: 'event log', vmstate: 'vmstate', dt: 'device tree', drc: 'DRCs', ov5: 'ov5', cpu: 'CPU',
};

const CAS_REBOOT_SUB = 'spapr_cas_reboot';

export function formatInsns(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G insns`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M insns`;
  return `${n.toLocaleString('en-US')} insns`;
}

export function formatClock(ns: number): string {
  return `${(ns / 1e6).toFixed(3)} ms`;
}

/** A trace line as the session formats it: `pid@sec.usec:name args`. */
const TRACE_RE = /^(\d+@\d+\.\d+):(\S+)\s?(.*)$/;

function EventRow({ e, newest, stepNo }: { e: ScenarioEvent; newest: boolean; stepNo?: number }) {
  const cls = `ev ev-${e.kind}${newest ? ' newest' : ''}`;
  if (e.kind === 'step') {
    const colon = e.text.indexOf(': ');
    return (
      <li className={cls}>
        <span className="ev-tag">step {stepNo !== undefined ? stepNo + 1 : ''}</span>
        <span className="ev-text">{colon > 0 ? e.text.slice(0, colon) : e.text}</span>
      </li>
    );
  }
  if (e.kind === 'trace') {
    const m = TRACE_RE.exec(e.text);
    return (
      <li className={cls} title={`vm clock ${formatClock(e.clockNs)}`}>
        <span className="ev-tag">trace</span>
        {m ? (
          <span className="ev-text"><span className="ev-pid">{m[1]}:</span><span className={`ev-name n-${m[2]}`}>{m[2]}</span> {m[3]}</span>
        ) : <span className="ev-text">{e.text}</span>}
      </li>
    );
  }
  return (
    <li className={cls} title={`vm clock ${formatClock(e.clockNs)}`}>
      <span className="ev-tag">{e.kind === 'console' ? 'guest' : e.kind}</span>
      <span className="ev-text">{e.text}</span>
    </li>
  );
}

/** A panel of the replay: titled, outlined when the current step points at it. */
function Panel(props: {
  side: SideName; name: PanelName; title: string; highlight: PanelName | null; extra?: ReactNode;
  className?: string; children: ReactNode;
}) {
  const on = props.highlight === props.name;
  return (
    <section className={`scn-panel scn-panel-${props.name}${on ? ' hl' : ''}${props.className ? ` ${props.className}` : ''}`}
      data-testid={`scn-${props.name}-${props.side}`} data-panel={props.name} data-side={props.side}
      data-highlighted={on ? 'true' : undefined}>
      <header className="scn-panel-head">
        <span className="scn-panel-title">{props.title}</span>
        {on && <span className="scn-look">look here</span>}
        {props.extra}
      </header>
      {props.children}
    </section>
  );
}

/** Keeps a scrolling box at its bottom whenever `dep` changes. */
function useFollow<T>(dep: T) {
  const box = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [dep]);
  return box;
}

function ConsolePanel({ side, lines, highlight }: { side: SideName; lines: string[]; highlight: PanelName | null }) {
  const box = useFollow(lines);
  return (
    <Panel side={side} name="console" title="console" highlight={highlight}>
      <div className="scn-console" ref={box}>
        {lines.length === 0 && <div className="scn-console-empty">no output yet</div>}
        {lines.map((l, i) => <div key={i} className={i === lines.length - 1 ? 'last' : undefined}>{l || '\u00a0'}</div>)}
      </div>
    </Panel>
  );
}

function EventLog({ side, events, stepNos, newest, highlight }: {
  side: SideName; events: ScenarioEvent[]; stepNos: Map<ScenarioEvent, number>; newest: ScenarioEvent | null; highlight: PanelName | null;
}) {
  const box = useFollow(events);
  const traces = events.filter((e) => e.kind === 'trace').length;
  const errors = events.filter((e) => e.kind === 'error').length;
  return (
    <Panel side={side} name="trace" title="event log" highlight={highlight}
      extra={<span className="muted">{traces} trace · {errors} error{errors === 1 ? '' : 's'}</span>}>
      <div className="scn-log" ref={box}>
        <ol>
          {events.map((e, i) => <EventRow key={i} e={e} newest={e === newest} stepNo={stepNos.get(e)} />)}
        </ol>
        {events.length === 0 && <div className="panel-empty">nothing yet</div>}
      </div>
    </Panel>
  );
}

function CoresPanel({ side, snap, prev, highlight }: { side: SideName; snap: SideSnapshot; prev: SideSnapshot | null; highlight: PanelName | null }) {
  const plugged = snap.drcs.filter((d) => d.name.startsWith('CPU')).length;
  return (
    <Panel side={side} name="dt" title="device tree" highlight={highlight}>
      <ul className="scn-cores">
        {snap.dtCpus.map((c) => {
          const isNew = prev !== null && !prev.dtCpus.includes(c);
          return <li key={c} className={isNew ? 'changed' : undefined}><span className="dt-name">{c}</span>{isNew && <span className="scn-new">new</span>}</li>;
        })}
        {snap.dtCpus.length === 0 && <li className="muted">no /cpus node</li>}
      </ul>
      <div className={`scn-cores-sum${plugged > snap.dtCpus.length ? ' differs' : ''}`}>
        {snap.dtCpus.length} core{snap.dtCpus.length === 1 ? '' : 's'} in the tree
        {plugged > 0 && <> · {plugged} CPU connector{plugged === 1 ? '' : 's'} with a core</>}
        {plugged > snap.dtCpus.length && <>: {plugged - snap.dtCpus.length} not in the tree</>}
      </div>
    </Panel>
  );
}

function DrcPanel({ side, snap, prev, highlight }: { side: SideName; snap: SideSnapshot; prev: SideSnapshot | null; highlight: PanelName | null }) {
  const before = new Map(prev?.drcs.map((d) => [d.index, d]) ?? []);
  return (
    <Panel side={side} name="drc" title="DRCs with a device" highlight={highlight}>
      <div className="scn-drc-scroll">
      <table className="grid scn-drcs">
        <thead><tr><th>index</th><th>name</th><th className="num">state</th><th title="QEMU's SpaprDrcState, SPAPR_DRC_STATE_…">QEMU state</th><th>transient</th></tr></thead>
        <tbody>
          {snap.drcs.map((d) => {
            const old = before.get(d.index);
            const changed = prev !== null && (!old || old.state !== d.state || old.transient !== d.transient);
            return (
              <tr key={d.index} data-drc={d.index} className={`${d.transient ? 'transient' : ''}${changed ? ' changed' : ''}`}>
                <td>{d.index}</td>
                <td>{d.name}</td>
                <td className="num">{d.state}</td>
                <td className="drc-state" title={drcStateName(d.state)}>{drcStateShort(d.state)}</td>
                <td>{d.transient ? <span className="scn-flag warn" title="attached and not ready: spapr_drc_needed() sends it">transient</span> : <span className="muted">no</span>}</td>
              </tr>
            );
          })}
          {snap.drcs.length === 0 && <tr><td colSpan={5} className="muted">none</td></tr>}
        </tbody>
      </table>
      </div>
    </Panel>
  );
}

function subKeys(list: VmstateSubsectionInfo[], prefix: string, out: Map<string, boolean>): void {
  for (const s of list) { out.set(`${prefix}/${s.name}`, s.needed); subKeys(s.subsections, `${prefix}/${s.name}`, out); }
}

function vmKeys(snap: SideSnapshot | null): Map<string, boolean> | null {
  if (!snap) return null;
  const out = new Map<string, boolean>();
  for (const s of snap.vmstate.sections) {
    const k = `${s.idstr}#${s.instanceId}`;
    out.set(k, s.needed);
    subKeys(s.subsections, k, out);
  }
  return out;
}

function findSub(list: VmstateSubsectionInfo[], name: string): VmstateSubsectionInfo | null {
  for (const s of list) {
    if (s.name === name) return s;
    const r = findSub(s.subsections, name);
    if (r) return r;
  }
  return null;
}

function Subs({ list, prefix, changed, mentioned }: { list: VmstateSubsectionInfo[]; prefix: string; changed: Set<string>; mentioned: string | null }) {
  if (!list.length) return null;
  return (
    <ul className="vm-subs">
      {list.map((s, i) => {
        const key = `${prefix}/${s.name}`;
        const cas = s.name === CAS_REBOOT_SUB && s.needed;
        return (
          <li key={`${s.name}-${i}`} data-subsection={s.name} data-needed={s.needed}
            className={`${s.needed ? 'pending' : 'idle'}${cas ? ' cas-reboot' : ''}${changed.has(key) ? ' changed' : ''}${mentioned === key ? ' mentioned' : ''}`}>
            <span className="vm-flag">{s.needed ? 'pending' : 'not needed'}</span>
            <span className="vm-sname">{s.name}</span>
            {s.reason && <span className="vm-reason">{s.reason}</span>}
            {changed.has(key) && <span className="scn-new">{s.needed ? 'now pending' : 'no longer needed'}</span>}
            <Subs list={s.subsections} prefix={key} changed={changed} mentioned={mentioned} />
          </li>
        );
      })}
    </ul>
  );
}

/**
 * What a step's explanation names in the vmstate: a subsection by its name, else a section
 * written as "the X section". Returns the key of the row to point at.
 */
export function mentionedRow(text: string | undefined, sections: SideSnapshot['vmstate']['sections']): string | null {
  if (!text) return null;
  const words = new Set(text.split(/[^\w/@.-]+/).map((w) => w.replace(/\.+$/, '')));
  const walk = (list: VmstateSubsectionInfo[], prefix: string): string | null => {
    for (const x of list) {
      if (words.has(x.name)) return `${prefix}/${x.name}`;
      const r = walk(x.subsections, `${prefix}/${x.name}`);
      if (r) return r;
    }
    return null;
  };
  for (const s of sections) {
    const r = walk(s.subsections, `${s.idstr}#${s.instanceId}`);
    if (r) return r;
  }
  const sec = sections.find((s) => new RegExp(`\\b${s.idstr.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} section\\b`).test(text));
  return sec ? `${sec.idstr}#${sec.instanceId}` : null;
}

function VmstatePanel({ side, snap, prev, highlight, focusText }: {
  side: SideName; snap: SideSnapshot; prev: SideSnapshot | null; highlight: PanelName | null;
  /** The step's explanation, when it points at this panel: a row it names is marked. */
  focusText?: string;
}) {
  const [all, setAll] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const vm = snap.vmstate;
  const changed = useMemo(() => {
    const now = vmKeys(snap)!;
    const then = vmKeys(prev);
    const out = new Set<string>();
    if (then) for (const [k, v] of now) if (then.has(k) && then.get(k) !== v) out.add(k);
    return out;
  }, [snap, prev]);
  const mentioned = useMemo(() => mentionedRow(focusText, vm.sections), [focusText, vm]);
  const casSub = vm.sections.filter((s) => s.idstr === 'spapr').map((s) => findSub(s.subsections, CAS_REBOOT_SUB)).find((x) => x) ?? null;
  const pending = vm.sections.reduce((n, s) => n + (s.needed ? countPending(s.subsections) : 0), 0);
  const notSent = vm.sections.filter((s) => !s.needed).length;
  const rows = vm.sections.filter((s) => all || s.needed || changed.has(`${s.idstr}#${s.instanceId}`) || mentioned?.startsWith(`${s.idstr}#${s.instanceId}`));

  // Bring the row that matters into view inside the panel (not the page): spapr_cas_reboot
  // when it is pending, the spapr section while cas_reboot is set, else the first change.
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const target = el.querySelector<HTMLElement>('li.cas-reboot')
      ?? el.querySelector<HTMLElement>('.mentioned')
      ?? (snap.casReboot ? el.querySelector<HTMLElement>('tr[data-section="spapr"]') : null)
      ?? el.querySelector<HTMLElement>('.changed');
    if (!target) { el.scrollTop = 0; return; }
    const top = target.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop;
    el.scrollTop = Math.max(0, top - el.clientHeight / 3);
  }, [snap, mentioned]);

  let callout: ReactNode = null;
  if (casSub?.needed) {
    callout = <div className="scn-callout ok" data-testid={`cas-reboot-carried-${side}`}>spapr_cas_reboot is pending: a stream sent now carries the owed CAS reset.</div>;
  } else if (snap.casReboot) {
    callout = (
      <div className="scn-callout bad" data-testid={`cas-reboot-lost-${side}`}>
        cas_reboot is set, but {casSub ? 'spapr_cas_reboot is not needed' : `${vm.machineType} on ${snap.profile ?? 'this build'} has no spapr_cas_reboot subsection`}: a stream sent now does not carry the owed reset.
      </div>
    );
  }
  return (
    <Panel side={side} name="vmstate" title="vmstate" highlight={highlight} className="scn-panel-tall"
      extra={(
        <>
          <span className="muted">{vm.sections.length - notSent} sections sent · {pending} subsections pending</span>
          {notSent > 0 && (
            <label className="muted check">
              <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
              also the {notSent} not sent
            </label>
          )}
        </>
      )}>
      {callout}
      <div className="scn-vm-scroll" ref={box}>
        <table className="grid vm-table">
          <thead><tr><th className="vm-idstr">section</th><th className="num">instance</th><th className="num">size</th><th>subsections</th></tr></thead>
          <tbody>
            {rows.map((s) => {
              const key = `${s.idstr}#${s.instanceId}`;
              return (
                <Fragment key={key}>
                  <tr data-section={s.idstr} className={`vm-sec${s.needed ? '' : ' not-sent'}${changed.has(key) ? ' changed' : ''}${mentioned === key ? ' mentioned' : ''}`}>
                    <td className="vm-idstr">{s.idstr}{changed.has(key) && <span className="scn-new">{s.needed ? 'now sent' : 'no longer sent'}</span>}</td>
                    <td className="num">{s.instanceId >= 0x10000 ? `0x${s.instanceId.toString(16)}` : s.instanceId}</td>
                    <td className="num">{s.kind === 'live' ? 'live' : s.needed ? `${(s.size ?? 0).toLocaleString('en-US')} B` : 'not sent'}</td>
                    <td className="vm-sum">{s.subsections.length ? `${s.subsections.length} subsection${s.subsections.length > 1 ? 's' : ''}, ${countPending(s.subsections)} pending` : ''}</td>
                  </tr>
                  {s.subsections.length > 0 && (
                    <tr className={`vm-subrow${s.needed ? '' : ' not-sent'}`} data-subsections-of={s.idstr}>
                      <td colSpan={4}><Subs list={s.subsections} prefix={key} changed={changed} mentioned={mentioned} /></td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

function countPending(list: VmstateSubsectionInfo[]): number {
  return list.reduce((n, s) => n + (s.needed ? 1 : 0) + countPending(s.subsections), 0);
}

export interface SideProps {
  side: SideName;
  /** The frame's snapshot of this side (null: the side does not exist yet at that frame). */
  snap: SideSnapshot | null;
  /** The same side at the previous frame, for what changed. */
  prev: SideSnapshot | null;
  /** This side's events (and the steps) up to the cursor. */
  events: ScenarioEvent[];
  stepNos: Map<ScenarioEvent, number>;
  newest: ScenarioEvent | null;
  /** The panel the current step points at, when it is on this side. */
  highlight: PanelName | null;
  /** The current step's explanation. */
  focusText?: string;
}

export function ScenarioSide({ side, snap, prev, events, stepNos, newest, highlight, focusText }: SideProps) {
  const consoleLines = useMemo(() => events.filter((e) => e.kind === 'console').slice(-12).map((e) => e.text), [events]);
  const role = SIDE_LABEL[side];
  if (!snap) {
    return (
      <section className={`instance scn-side role-${role}`} data-testid={`scn-side-${side}`}>
        <header className="instance-head">
          <span className="role">{role}</span>
          <h2 className="name muted">not started</h2>
        </header>
        <div className="panel-empty">
          {side === 'dst'
            ? 'No destination yet: it is started (-incoming) when the migration begins.'
            : 'The scenario has not reached its first step yet.'}
        </div>
        {events.some((e) => e.kind !== 'step') && <EventLog side={side} events={events} stepNos={stepNos} newest={newest} highlight={highlight} />}
      </section>
    );
  }
  return (
    <section className={`instance scn-side role-${role}`} data-testid={`scn-side-${side}`}>
      <header className="instance-head">
        <span className="role">{role}</span>
        <h2 className="name">{snap.name}</h2>
        <RunstateBadge state={snap.runstate as RunState} testId={`scn-runstate-${side}`} />
        <span className="mips" title={`vm clock ${formatClock(snap.clockNs)}`}>{formatInsns(snap.insns)}</span>
      </header>
      <div className="scn-meta">
        <span className="scn-chip" title="the QEMU release this instance behaves as">{snap.profile ?? 'current'}</span>
        <span className="scn-chip mono">{snap.machineType}</span>
        <span className="scn-chip">migration: <b className={`status status-${snap.migration}`}>{snap.migration}</b></span>
        <span className={`scn-chip flag ${snap.casReboot ? 'warn' : 'off'}`} data-testid={`cas-reboot-${side}`} data-on={snap.casReboot}>
          cas_reboot {snap.casReboot ? 'set' : 'clear'}
        </span>
        <span className={`scn-chip flag ${snap.resetPending ? 'bad' : 'off'}`} data-testid={`reset-pending-${side}`} data-on={snap.resetPending !== null}>
          {snap.resetPending ? `reset requested: ${snap.resetPending}` : 'no reset pending'}
        </span>
      </div>
      <ConsolePanel side={side} lines={consoleLines} highlight={highlight} />
      <EventLog side={side} events={events} stepNos={stepNos} newest={newest} highlight={highlight} />
      <div className="scn-pair">
        <CoresPanel side={side} snap={snap} prev={prev} highlight={highlight} />
        <DrcPanel side={side} snap={snap} prev={prev} highlight={highlight} />
      </div>
      <VmstatePanel side={side} snap={snap} prev={prev} highlight={highlight} focusText={highlight === 'vmstate' ? focusText : undefined} />
    </section>
  );
}
