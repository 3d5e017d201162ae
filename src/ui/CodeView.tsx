// A read-only Monaco view of a text (the DTS of the live device tree, a stream's vmdesc JSON):
// syntax colours, folding, search (Ctrl+F), line numbers. Loaded lazily with Monaco.

import { useEffect, useRef } from 'react';
import type * as MonacoApi from 'monaco-editor/esm/vs/editor/editor.api';
import { setupMonaco } from './monaco';
import { CODE_TEXTS } from './codeText';

export default function CodeView({ text, language, testId, className }: {
  text: string; language: 'dts' | 'json' | 'ppc-asm'; testId: string; className?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<MonacoApi.editor.IStandaloneCodeEditor | null>(null);

  useEffect(() => {
    const monaco = setupMonaco();
    const ed = monaco.editor.create(host.current!, {
      value: text, language, readOnly: true, domReadOnly: true, minimap: { enabled: false },
      automaticLayout: true, scrollBeyondLastLine: false, fontSize: 12, folding: true,
    });
    editor.current = ed;
    return () => { ed.dispose(); editor.current = null; CODE_TEXTS.delete(testId); };
    // created once per language; the text is updated below without losing the scroll position
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [language]);

  useEffect(() => {
    CODE_TEXTS.set(testId, text);
    const ed = editor.current;
    if (ed && ed.getValue() !== text) ed.setValue(text);
  }, [text, testId]);

  return <div className={`code-view ${className ?? ''}`} data-testid={testId} ref={host} />;
}
