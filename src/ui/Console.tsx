// The guest console of one instance: an xterm.js terminal fed from the store. Output is
// written once per animation frame; keystrokes go to that instance's spapr-vty.

import { useEffect, useRef } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import type { InstanceState, InstanceStore } from '../store/instance';

const THEME = {
  background: '#0d1117',
  foreground: '#d6dde6',
  cursor: '#7ee787',
  cursorAccent: '#0d1117',
  selectionBackground: '#264f78',
};

export function Console(props: { store: InstanceStore; onInput: (data: string) => void; testId: string }) {
  const host = useRef<HTMLDivElement>(null);
  const onInput = useRef(props.onInput);
  onInput.current = props.onInput;

  useEffect(() => {
    const el = host.current!;
    const term = new Terminal({
      convertEol: true,
      cursorBlink: true,
      fontFamily: '"DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: THEME,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    const refit = () => {
      try { fit.fit(); } catch { /* not laid out yet */ }
    };
    refit();
    const resize = new ResizeObserver(refit);
    resize.observe(el);
    const input = term.onData((d) => onInput.current(d));

    // Store -> terminal, batched per animation frame.
    let generation = -1;
    let written = 0;
    let pending = '';
    let frame = 0;
    const flush = () => {
      frame = 0;
      if (pending) { term.write(pending); pending = ''; }
    };
    const sync = (s: InstanceState) => {
      if (s.generation !== generation) {
        // A fresh machine: start a fresh screen.
        generation = s.generation;
        written = 0;
        pending = '';
        term.reset();
      }
      if (s.consoleSeq === written) return;
      for (const c of s.console) if (c.seq > written) pending += c.text;
      written = s.consoleSeq;
      if (!frame) frame = requestAnimationFrame(flush);
    };
    sync(props.store.getState());
    const unsubscribe = props.store.subscribe(sync);

    return () => {
      unsubscribe();
      if (frame) cancelAnimationFrame(frame);
      input.dispose();
      resize.disconnect();
      term.dispose();
    };
  }, [props.store]);

  return <div className="console" data-testid={props.testId} ref={host} />;
}
