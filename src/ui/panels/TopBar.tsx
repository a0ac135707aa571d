import { useCallback, useEffect, useRef, useState } from 'react';
import { serializeGraph } from '../../core/load';
import { shareLink } from '../../store/persistence';
import { redo, undo } from '../../store/store';
import { templates } from '../../../templates';
import { useFrameGraph } from '../canvas/useFrameGraph';
import { useEditor, useEditorStore, useHistoryDepth } from '../editor-context';
import { download, safeName } from '../download';
import { NewGraphDialog } from './NewGraphDialog';

const fileName = (name: string) => `${safeName(name)}.convcanvas.json`;

function TemplatesMenu({ onClose, onNew }: { onClose(): void; onNew(): void }) {
  const store = useEditorStore();
  const ref = useRef<HTMLDivElement>(null);
  // Closes on Escape or a click anywhere else, like any menu.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    const onDown = (e: MouseEvent) => {
      const anchor = ref.current?.parentElement;
      if (anchor && !anchor.contains(e.target as Node)) onClose();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onDown);
    };
  }, [onClose]);
  return (
    <div className="menu" role="menu" aria-label="Templates" ref={ref}>
      <button
        type="button"
        role="menuitem"
        className="menu-item"
        data-template="new"
        onClick={() => {
          onClose();
          onNew();
        }}
      >
        <strong>New empty graph…</strong>
        <small>An empty canvas with a name of your choice, to build a network from scratch.</small>
      </button>
      {templates.map((t) => (
        <button
          key={t.name}
          type="button"
          role="menuitem"
          className="menu-item"
          data-template={t.name}
          onClick={() => {
            store.getState().openTemplate(t.name);
            onClose();
          }}
        >
          <strong>{t.title}</strong>
          <small>{t.blurb}</small>
        </button>
      ))}
    </div>
  );
}

function ShareDialog({ link, onClose }: { link: string; onClose(): void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Share link" onClick={onClose}>
      <div className="dialog" onClick={(e) => e.stopPropagation()}>
        <h2>Share this graph</h2>
        <p>
          The whole graph is packed into this link; nothing is uploaded. Anyone who opens it gets their own
          copy.
        </p>
        <input
          className="share-link"
          readOnly
          value={link}
          aria-label="Link to this graph"
          onFocus={(e) => e.target.select()}
        />
        <div className="button-row">
          <button
            type="button"
            onClick={() =>
              void navigator.clipboard.writeText(link).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? 'Copied' : 'Copy link'}
          </button>
          <button type="button" className="ghost" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

export function TopBar() {
  const store = useEditorStore();
  const name = useEditor((s) => s.doc.name);
  const theme = useEditor((s) => s.theme);
  const codeOpen = useEditor((s) => s.codeOpen);
  const { past, future } = useHistoryDepth();
  const { fitAll } = useFrameGraph();
  const [menu, setMenu] = useState(false);
  const closeMenu = useCallback(() => setMenu(false), []);
  const [share, setShare] = useState<string | null>(null);
  const [naming, setNaming] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  return (
    <header className="topbar">
      <div className="brand">
        <img src="/favicon.svg" alt="" width={22} height={22} />
        <span>ConvCanvas</span>
        <span className="graph-name" title="Rename in the inspector (click the empty canvas)">
          {name}
        </span>
      </div>
      <nav className="toolbar" aria-label="Toolbar">
        <div className="menu-anchor">
          <button type="button" onClick={() => setMenu(!menu)} aria-expanded={menu} aria-haspopup="menu">
            Templates ▾
          </button>
          {menu && <TemplatesMenu onClose={closeMenu} onNew={() => setNaming(true)} />}
        </div>
        <span className="sep" />
        <button
          type="button"
          onClick={() => fileInput.current?.click()}
          title="Open a ConvCanvas graph (.json), or a Keras/TensorFlow.js model.json with its .bin files"
        >
          Import
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,.bin,application/json"
          multiple
          hidden
          data-testid="import-file"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            // A ConvCanvas graph, or a saved Keras/tfjs model.json with its .bin weights files.
            void store.getState().importFiles(files);
          }}
        />
        <button type="button" onClick={() => download(fileName(name), serializeGraph(store.getState().doc))}>
          Export
        </button>
        <button
          type="button"
          onClick={() => {
            const link = shareLink(store.getState().doc, window.location.href);
            if (link.ok) setShare(link.url);
            else store.getState().notify(link.message, 'error');
          }}
        >
          Share
        </button>
        <button
          type="button"
          onClick={() => store.getState().setCodeOpen(!codeOpen)}
          aria-pressed={codeOpen}
          title="The graph as TypeScript for TensorFlow.js (C)"
        >
          Code
        </button>
        <span className="sep" />
        <button type="button" onClick={() => undo(store)} disabled={past === 0} title="Undo (Ctrl+Z)">
          Undo
        </button>
        <button type="button" onClick={() => redo(store)} disabled={future === 0} title="Redo (Shift+Ctrl+Z)">
          Redo
        </button>
        <span className="sep" />
        <button type="button" onClick={() => store.getState().autoLayout()} title="Auto-layout (L)">
          Tidy up
        </button>
        <button type="button" onClick={() => void fitAll()} title="Fit view (F)">
          Fit
        </button>
        <button
          type="button"
          onClick={() => store.getState().setTheme(theme === 'light' ? 'dark' : 'light')}
          aria-label={theme === 'light' ? 'Dark theme' : 'Light theme'}
          title="Switch theme"
        >
          {theme === 'light' ? '☾' : '☀'}
        </button>
        <button
          type="button"
          onClick={() => store.getState().setHelpOpen(true)}
          aria-label="Help"
          title="Help (?)"
        >
          ?
        </button>
      </nav>
      {share !== null && <ShareDialog link={share} onClose={() => setShare(null)} />}
      {naming && <NewGraphDialog onClose={() => setNaming(false)} />}
    </header>
  );
}
