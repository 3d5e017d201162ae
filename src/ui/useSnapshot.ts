// Panel data on demand: while a panel is mounted (its tab is visible) it asks its worker for a
// snapshot now and then every `intervalMs`; the answer lands in the instance store.

import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { Column } from '../store/session';
import type { Snapshot, SnapshotKind, SnapshotQuery } from '../worker/protocol';
import type { Lab } from './lab';

export function useSnapshot<K extends SnapshotKind>(
  lab: Lab, column: Column, query: SnapshotQuery & { kind: K }, intervalMs: number | null, deps: unknown[] = [],
): { snap: Extract<Snapshot, { kind: K }> | undefined; error: string | null; refresh: () => void } {
  const store = lab.store(column);
  const generation = useStore(store, (s) => s.generation);
  const runstate = useStore(store, (s) => s.runstate);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(query);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const ask = () => {
      if (typeof document === 'undefined' || document.visibilityState === 'visible') {
        lab.query(column, query).then(() => { if (live) setError(null); }, (e: Error) => { if (live) setError(e.message); });
      }
      if (intervalMs) timer = setTimeout(ask, intervalMs);
    };
    ask();
    return () => { live = false; if (timer) clearTimeout(timer); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lab, column, key, intervalMs, generation, runstate, tick, ...deps]);

  const snap = useStore(store, (s) => s.snapshots[query.kind]) as Extract<Snapshot, { kind: K }> | undefined;
  return { snap, error, refresh: () => setTick((t) => t + 1) };
}
