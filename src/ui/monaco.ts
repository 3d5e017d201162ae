// Monaco for the page: the core editor only (no bundled languages), its one web worker, and the
// languages the lab shows: PowerPC assembly as our assembler takes it (mnemonics from the ISA
// table), DTS and JSON (Monarch tokenizers, no language workers). Loaded lazily with the panels
// that use it.

import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import { ISA, EXT_MNEMONICS, F, isAssemblable } from '../core/cpu/isa';

declare global {
  interface Window { MonacoEnvironment?: monaco.Environment }
}

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

/** Every spelling the assembler takes: base mnemonics with their o/l/a/. suffixes, the extended ones. */
export function assemblerMnemonics(): string[] {
  const names = new Set<string>();
  for (const r of ISA) {
    if (!isAssemblable(r)) continue;
    for (const o of r.flags & F.OE ? ['', 'o'] : ['']) {
      for (const l of r.flags & F.LK ? ['', 'l'] : ['']) {
        for (const a of r.flags & F.AA ? ['', 'a'] : ['']) {
          for (const rc of r.flags & F.RC ? ['', '.'] : ['']) names.add(r.mn + o + l + a + rc);
        }
      }
    }
  }
  for (const e of EXT_MNEMONICS) names.add(e.mn);
  return [...names].sort();
}

let registered = false;

/** Monaco's theme follows the page's (data-theme on the document root: vs or vs-dark). */
function followPageTheme(): void {
  if (typeof document === 'undefined') return;
  const root = document.documentElement;
  const apply = () => monaco.editor.setTheme(root.dataset.theme === 'dark' ? 'vs-dark' : 'vs');
  apply();
  new MutationObserver(apply).observe(root, { attributes: true, attributeFilter: ['data-theme'] });
}

export function setupMonaco(): typeof monaco {
  if (registered) return monaco;
  registered = true;
  followPageTheme();
  const mnemonics = assemblerMnemonics();
  monaco.languages.register({ id: 'ppc-asm' });
  monaco.languages.setMonarchTokensProvider('ppc-asm', {
    mnemonics,
    tokenizer: {
      root: [
        [/#.*$/, 'comment'],
        [/^\s*[A-Za-z_.$][\w.$]*:/, 'type.identifier'],
        [/\.(long|word|asciz|balign)\b/, 'keyword.directive'],
        [/"([^"\\]|\\.)*"/, 'string'],
        [/\b(?:r|f|v|vs|cr)\d+\b/, 'variable.predefined'],
        [/@(?:l|h|ha|higher|highest)\b/, 'keyword'],
        [/\b0x[0-9a-fA-F]+\b|\b\d+\b/, 'number'],
        [/[a-z][\w.]*[+-]?/, { cases: { '@mnemonics': 'keyword', '@default': 'identifier' } }],
      ],
    },
  } as monaco.languages.IMonarchLanguage);
  monaco.languages.register({ id: 'dts' });
  monaco.languages.setMonarchTokensProvider('dts', {
    tokenizer: {
      root: [
        [/\/\/.*$/, 'comment'],
        [/\/dts-v1\/;/, 'keyword'],
        [/"([^"\\]|\\.)*"/, 'string'],
        [/[\w,.+-]*(@[0-9a-fA-F,]+)?\s*\{/, 'type.identifier'],
        [/[\w,.#+?-]+(?=\s*[=;])/, 'variable'],
        [/0x[0-9a-fA-F]+|\b\d+\b/, 'number'],
        [/&[\w-]+/, 'keyword'],
      ],
    },
  });
  monaco.languages.register({ id: 'json' });
  monaco.languages.setMonarchTokensProvider('json', {
    tokenizer: {
      root: [
        [/"([^"\\]|\\.)*"(?=\s*:)/, 'variable'],
        [/"([^"\\]|\\.)*"/, 'string'],
        [/-?\d+(\.\d+)?([eE][-+]?\d+)?/, 'number'],
        [/\b(true|false|null)\b/, 'keyword'],
      ],
    },
  });
  return monaco;
}

export type Monaco = typeof monaco;
