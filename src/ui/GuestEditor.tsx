// The guest editor: PowerPC assembly in Monaco (mnemonics from the ISA table), assembled by our
// assembler into the bare ELF QEMU's -kernel takes, and booted in this column's machine, running
// or held in prelaunch (QEMU's -S) to be stepped from the CPU tab. Example programs teach a
// hypercall, an interrupt and an MMU fault; the listing shows every word as the disassembler
// reads it back.

import { useEffect, useMemo, useRef, useState } from 'react';
import type { Column } from '../store/session';
import type { Lab } from './lab';
import { EXAMPLES, programElf } from '../core/asm/examples';
import { assemble } from '../core/asm/asm';
import { disassemble } from '../core/asm/disasm';
import { BARE_LOAD_ADDR } from '../core/asm/elf';
import { setupMonaco } from './monaco';
import type * as MonacoApi from 'monaco-editor/esm/vs/editor/editor.api';

interface Assembled { words: Uint32Array; error: null }
interface Failed { words: null; error: string; line: number }

function tryAssemble(source: string): Assembled | Failed {
  try {
    return { words: assemble(source, BigInt(BARE_LOAD_ADDR)), error: null };
  } catch (e) {
    const msg = (e as Error).message;
    const m = /^line (\d+): /.exec(msg);
    return { words: null, error: msg, line: m ? Number(m[1]) : 1 };
  }
}

/** Listing rows: address, word, disassembly (the data words print as .long). */
function listing(words: Uint32Array, max = 400): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.min(words.length, max); i++) {
    const pc = BigInt(BARE_LOAD_ADDR + 4 * i);
    out.push(`${pc.toString(16).padStart(8, '0')}  ${words[i].toString(16).padStart(8, '0')}  ${disassemble(words[i], pc)}`);
  }
  if (words.length > max) out.push(`… ${words.length - max} more words`);
  return out;
}

/** Each column's program, kept while the panel is remounted (a boot recreates the machine's panels). */
const kept = new Map<Column, { exampleId: string; source: string; status: string }>();

export default function GuestEditor({ lab, column }: { lab: Lab; column: Column }) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<MonacoApi.editor.IStandaloneCodeEditor | null>(null);
  const initial = kept.get(column) ?? { exampleId: EXAMPLES[0].id, source: EXAMPLES[0].source, status: '' };
  const [exampleId, setExampleId] = useState(initial.exampleId);
  const [source, setSource] = useState(initial.source);
  const [status, setStatus] = useState<string>(initial.status);
  useEffect(() => { kept.set(column, { exampleId, source, status }); }, [column, exampleId, source, status]);
  const result = useMemo(() => tryAssemble(source), [source]);

  useEffect(() => {
    const monaco = setupMonaco();
    const ed = monaco.editor.create(host.current!, {
      value: source, language: 'ppc-asm', minimap: { enabled: false }, fontSize: 13,
      automaticLayout: true, scrollBeyondLastLine: false, tabSize: 4,
    });
    editor.current = ed;
    const sub = ed.onDidChangeModelContent(() => setSource(ed.getValue()));
    return () => { sub.dispose(); ed.dispose(); editor.current = null; };
    // the editor is created once; the example picker replaces its value
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // assembler errors as markers on their line
  useEffect(() => {
    const ed = editor.current;
    const model = ed?.getModel();
    if (!ed || !model) return;
    const monaco = setupMonaco();
    monaco.editor.setModelMarkers(model, 'asm', result.error === null ? [] : [{
      severity: monaco.MarkerSeverity.Error, message: result.error.replace(/^line \d+: /, ''),
      startLineNumber: result.line, endLineNumber: result.line, startColumn: 1, endColumn: model.getLineMaxColumn(result.line),
    }]);
  }, [result]);

  const pick = (id: string) => {
    const ex = EXAMPLES.find((e) => e.id === id)!;
    setExampleId(id);
    editor.current?.setValue(ex.source);
    setSource(ex.source);
    setStatus('');
  };

  const run = (paused: boolean) => {
    if (result.error !== null) return;
    const msg = !lab.runProgram(column, programElf(source), paused) ? 'a migration is under way: try again when it has ended'
      : paused ? 'loaded at 0x400000, the machine in prelaunch (-S): step it in the CPU tab, or cont'
        : 'booted: the console shows what it prints';
    kept.set(column, { exampleId, source, status: msg }); // the panel is remounted by the boot
    setStatus(msg);
  };

  return (
    <div className="guest-editor" data-testid={`editor-${column}`}>
      <div className="editor-tools">
        <label>
          <span className="label">example</span>
          <select value={exampleId} onChange={(e) => pick(e.target.value)} data-testid={`editor-example-${column}`}>
            {EXAMPLES.map((e) => <option key={e.id} value={e.id}>{e.title}</option>)}
          </select>
        </label>
        <button type="button" className="tool" disabled={result.error !== null} onClick={() => run(false)}
          data-testid={`editor-run-${column}`} title="assemble, boot as -kernel and run">▶ assemble &amp; run</button>
        <button type="button" className="tool" disabled={result.error !== null} onClick={() => run(true)}
          data-testid={`editor-load-${column}`} title="assemble and boot held in prelaunch (-S), to step">‖ load paused</button>
        <span className={result.error === null ? 'editor-status' : 'editor-status error'} data-testid={`editor-status-${column}`}>
          {result.error ?? `${result.words.length} words at 0x${BARE_LOAD_ADDR.toString(16)}`}{status && ` — ${status}`}
        </span>
      </div>
      <div className="editor-body">
        <div className="editor-host" ref={host} />
        <pre className="editor-listing" data-testid={`editor-listing-${column}`}>
          {result.words ? listing(result.words).join('\n') : ''}
        </pre>
      </div>
    </div>
  );
}
