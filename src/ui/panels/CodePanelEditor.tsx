/**
 * The Monaco editor of the code panel (loaded on demand). Only the core editor and the TypeScript
 * and Python colouring are bundled; the editor's worker is served from our own origin, as the CSP
 * requires.
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { useEffect, useRef } from 'react';
import type { Theme } from '../../store/types';

globalThis.MonacoEnvironment = { getWorker: () => new EditorWorker() };

// The panel and muted-text colours of app.css, per theme.
const palette = {
  light: { background: '#ffffff', muted: '#687086', base: 'vs' },
  dark: { background: '#1a1d26', muted: '#9098ad', base: 'vs-dark' },
} as const;

for (const [name, c] of Object.entries(palette))
  monaco.editor.defineTheme(`convcanvas-${name}`, {
    base: c.base,
    inherit: true,
    rules: [],
    colors: {
      'editor.background': c.background,
      'editorGutter.background': c.background,
      'editorLineNumber.foreground': c.muted,
    },
  });

export type EditorLanguage = 'typescript' | 'python' | 'plaintext';

export interface CodePanelEditorProps {
  /** Which file is shown; another one replaces the text and scrolls to its top. */
  readonly file: string;
  readonly code: string;
  readonly language: EditorLanguage;
  /** For each line (index 0 is line 1), the node it belongs to, or null. */
  readonly lineNodes: readonly (string | null)[];
  readonly selected: readonly string[];
  readonly theme: Theme;
  onPickNode(id: string): void;
}

/** Each run of consecutive lines that belongs to `id` (a node can have lines in several places). */
function linesOf(lineNodes: readonly (string | null)[], id: string): { first: number; last: number }[] {
  const ranges: { first: number; last: number }[] = [];
  lineNodes.forEach((owner, i) => {
    if (owner !== id) return;
    const last = ranges.at(-1);
    if (last !== undefined && last.last === i) last.last = i + 1;
    else ranges.push({ first: i + 1, last: i + 1 });
  });
  return ranges;
}

/** Replaces only the part of the text that changed, so the view stays where the reader is. */
function update(model: monaco.editor.ITextModel, next: string): void {
  const current = model.getValue();
  if (current === next) return;
  let start = 0;
  while (start < current.length && start < next.length && current[start] === next[start]) start++;
  let end = 0;
  while (
    end < current.length - start &&
    end < next.length - start &&
    current[current.length - 1 - end] === next[next.length - 1 - end]
  )
    end++;
  const from = model.getPositionAt(start);
  const to = model.getPositionAt(current.length - end);
  model.applyEdits([
    {
      range: new monaco.Range(from.lineNumber, from.column, to.lineNumber, to.column),
      text: next.slice(start, next.length - end),
    },
  ]);
}

export default function CodePanelEditor(props: CodePanelEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const decorations = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  // The latest props, for the editor's event handlers.
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const instance = monaco.editor.create(host.current!, {
      value: latest.current.code,
      language: latest.current.language,
      theme: latest.current.theme === 'dark' ? 'convcanvas-dark' : 'convcanvas-light',
      readOnly: true,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 12,
      lineHeight: 18,
      fontFamily: "ui-monospace, 'SF Mono', Menlo, Consolas, monospace",
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      wordWrap: 'on',
      wrappingIndent: 'indent',
      renderLineHighlight: 'none',
      contextmenu: false,
      padding: { top: 6 },
    });
    editor.current = instance;
    decorations.current = instance.createDecorationsCollection();
    const pick = (line: number | undefined) => {
      const id = line === undefined ? null : latest.current.lineNodes[line - 1];
      if (id) latest.current.onPickNode(id);
    };
    const mouse = instance.onMouseDown((e) => pick(e.target.position?.lineNumber));
    const keys = instance.onDidChangeCursorPosition((e) => {
      if (e.source === 'keyboard') pick(e.position.lineNumber);
    });
    return () => {
      mouse.dispose();
      keys.dispose();
      instance.getModel()?.dispose();
      instance.dispose();
      editor.current = null;
    };
  }, []);

  // A change within one file keeps the reader's place; another file starts at its top.
  const shownFile = useRef(props.file);
  useEffect(() => {
    const model = editor.current?.getModel();
    if (!model) return;
    if (shownFile.current === props.file) update(model, props.code);
    else {
      shownFile.current = props.file;
      monaco.editor.setModelLanguage(model, props.language);
      model.setValue(props.code);
      editor.current?.setScrollTop(0);
    }
  }, [props.file, props.code, props.language]);

  useEffect(() => {
    monaco.editor.setTheme(props.theme === 'dark' ? 'convcanvas-dark' : 'convcanvas-light');
  }, [props.theme]);

  // The selected nodes' lines: a band, a bar by the numbers, and scrolled into view.
  useEffect(() => {
    const ranges = props.selected.flatMap((id) => linesOf(props.lineNodes, id));
    decorations.current?.set(
      ranges.map(({ first, last }) => ({
        range: new monaco.Range(first, 1, last, 1),
        options: {
          isWholeLine: true,
          className: 'code-node-selected',
          lineNumberClassName: 'code-node-selected-number',
          linesDecorationsClassName: 'code-node-selected-bar',
        },
      })),
    );
    // All of a node's lines when they fit (PyTorch has them in __init__ and forward), else its first.
    const first = ranges[0];
    const last = ranges.at(-1);
    if (first !== undefined && last !== undefined)
      editor.current?.revealLinesInCenterIfOutsideViewport(first.first, last.last);
  }, [props.selected, props.lineNodes]);

  return <div className="code-editor" ref={host} data-testid="code-editor" />;
}
