/**
 * The Monaco editor of the code panel (loaded on demand). Only the core editor and the TypeScript
 * colouring are bundled; the editor's worker is served from our own origin, as the CSP requires.
 */
import * as monaco from 'monaco-editor/editor';
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

export interface CodePanelEditorProps {
  readonly code: string;
  readonly lineNodes: readonly (string | null)[];
  readonly nodeLines: ReadonlyMap<string, { readonly first: number; readonly last: number }>;
  readonly selected: readonly string[];
  readonly theme: Theme;
  onPickNode(id: string): void;
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
      language: 'typescript',
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

  useEffect(() => {
    const model = editor.current?.getModel();
    if (model) update(model, props.code);
  }, [props.code]);

  useEffect(() => {
    monaco.editor.setTheme(props.theme === 'dark' ? 'convcanvas-dark' : 'convcanvas-light');
  }, [props.theme]);

  // The selected nodes' lines: a band, a bar by the numbers, and scrolled into view.
  useEffect(() => {
    const ranges = props.selected.flatMap((id) => {
      const lines = props.nodeLines.get(id);
      return lines === undefined ? [] : [lines];
    });
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
    const first = ranges[0];
    if (first !== undefined) editor.current?.revealLinesInCenterIfOutsideViewport(first.first, first.last);
  }, [props.selected, props.nodeLines]);

  return <div className="code-editor" ref={host} data-testid="code-editor" />;
}
