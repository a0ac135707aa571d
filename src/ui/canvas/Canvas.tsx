import { Background, ControlButton, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import type {
  Connection,
  EdgeChange,
  FinalConnectionState,
  IsValidConnection,
  NodeChange,
  OnConnectEnd,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DragEvent } from 'react';
import { getNodeDef } from '../../../nodes';
import type { Position } from '../../core/edit';
import { foldView } from '../../core/fold';
import { indexGroups } from '../../core/groups';
import { analysisOf } from '../../store/analysis';
import { useEditor, useEditorStore } from '../editor-context';
import { categoryColor } from '../theme';
import { CanvasToolbar } from './CanvasToolbar';
import { ConnectionLine, draggedLink } from './ConnectionLine';
import type { CanvasNode, ShapeFlowEdge } from './flow-model';
import { FlowCache, groupOfCard } from './flow-model';
import { GroupBrackets } from './GroupBrackets';
import { GroupCard } from './GroupCard';
import { LayerNode } from './LayerNode';
import { ShapeEdge } from './ShapeEdge';
import { useFrameGraph } from './useFrameGraph';

const nodeTypes = { layer: LayerNode, card: GroupCard };
const edgeTypes = { shape: ShapeEdge };
/** The drag-and-drop payload type palette items carry. */
export const PALETTE_MIME = 'application/x-convcanvas-item';
export type PaletteItem = { type: 'node'; kind: string } | { type: 'block'; name: string };

const minimapColor = (n: CanvasNode): string => {
  if (n.type === 'card') return n.data.problems > 0 ? '#e03131' : '#5c7cfa';
  const def = getNodeDef(n.data.node.kind);
  return n.data.result.status === 'error' ? '#e03131' : def ? categoryColor[def.category] : '#999';
};

export function Canvas() {
  const store = useEditorStore();
  const doc = useEditor((s) => s.doc);
  const selectedNodes = useEditor((s) => s.selectedNodes);
  const selectedEdges = useEditor((s) => s.selectedEdges);
  const theme = useEditor((s) => s.theme);
  const minimap = useEditor((s) => s.panels.minimap);
  const analysis = analysisOf(doc);
  const view = foldView(doc);
  const viewRef = useRef(view);
  viewRef.current = view;
  const cache = useRef(new FlowCache());
  // Bumped when React Flow reports new node sizes, so the nodes carry them (see FlowCache.measured).
  const [sizes, setSizes] = useState(0);
  const nodes = useMemo(
    () => cache.current.nodes(doc, analysis, view, selectedNodes),
    // `sizes` is not read inside: it only tells the memo that FlowCache.measured changed.
    [doc, analysis, view, selectedNodes, sizes],
  );
  const edges = useMemo(
    () => cache.current.edges(doc, analysis, view, selectedEdges),
    // Lanes keep clear of nodes as measured, so new sizes can move them.
    [doc, analysis, view, selectedEdges, sizes],
  );
  const { screenToFlowPosition } = useReactFlow();

  // Frame each newly opened graph (after React Flow has taken the new nodes).
  const viewRequest = useEditor((s) => s.viewRequest);
  const { frame } = useFrameGraph();
  useEffect(() => {
    const id = requestAnimationFrame(() => void frame());
    return () => cancelAnimationFrame(id);
  }, [viewRequest, frame]);

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      const moves = new Map<string, Position>();
      let dragEnded = false;
      let selection: Set<string> | undefined;
      let resized = false;
      const { doc } = store.getState();
      const shown = viewRef.current;
      for (const c of changes) {
        const group = 'id' in c ? groupOfCard(c.id) : undefined;
        if (c.type === 'position') {
          if (c.position && group === undefined) moves.set(c.id, shown.toSaved(c.position));
          else if (c.position && group !== undefined) {
            // A card carries all its nodes: the same step, in saved coordinates, for each.
            const card = shown.cards.find((k) => k.group.id === group);
            if (card !== undefined) {
              const from = shown.toSaved(card.position, group);
              const to = shown.toSaved(c.position, group);
              const saved = new Map(doc.nodes.map((n) => [n.id, n.position]));
              for (const id of card.members) {
                const p = saved.get(id);
                if (p !== undefined) moves.set(id, { x: p.x + to.x - from.x, y: p.y + to.y - from.y });
              }
            }
          }
          if (!c.dragging) dragEnded = true;
        } else if (c.type === 'select') {
          selection ??= new Set(store.getState().selectedNodes);
          // Choosing a card chooses the nodes it stands for: copy, delete and duplicate act on them.
          const ids = group === undefined ? [c.id] : indexGroups(doc).members(group);
          for (const id of ids) {
            if (c.selected) selection.add(id);
            else selection.delete(id);
          }
        } else if (c.type === 'dimensions' && c.dimensions) {
          resized = cache.current.measure(c.id, c.dimensions) || resized;
        }
      }
      if (resized) setSizes((n) => n + 1);
      if (moves.size > 0 || dragEnded) store.getState().dragNodes(moves, dragEnded ? 'end' : 'move');
      if (selection) store.getState().select([...selection], store.getState().selectedEdges);
    },
    [store],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<ShapeFlowEdge>[]) => {
      let selection: Set<string> | undefined;
      for (const c of changes)
        if (c.type === 'select') {
          selection ??= new Set(store.getState().selectedEdges);
          if (c.selected) selection.add(c.id);
          else selection.delete(c.id);
        }
      if (selection) store.getState().select(store.getState().selectedNodes, [...selection]);
    },
    [store],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      store.getState().connect({ source: c.source, target: c.target, targetHandle: c.targetHandle ?? 'in0' });
    },
    [store],
  );

  const isValidConnection: IsValidConnection<ShapeFlowEdge> = useCallback(
    (c) =>
      store
        .getState()
        .checkLink({ source: c.source, target: c.target, targetHandle: c.targetHandle ?? 'in0' }).ok,
    [store],
  );

  // A link dropped on a handle that refused it is reported, never silently dropped.
  const onConnectEnd: OnConnectEnd = useCallback(
    (_event, state: FinalConnectionState) => {
      if (state.isValid !== false || !state.fromNode || !state.fromHandle || !state.toNode || !state.toHandle)
        return;
      const link = draggedLink(
        { nodeId: state.fromNode.id, handleId: state.fromHandle.id ?? null, type: state.fromHandle.type },
        { nodeId: state.toNode.id, handleId: state.toHandle.id ?? null },
      );
      const check = store.getState().checkLink(link);
      if (!check.ok) store.getState().notify(`Link refused: ${check.reason}`, 'error');
    },
    [store],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(PALETTE_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const raw = e.dataTransfer.getData(PALETTE_MIME);
      if (!raw) return;
      e.preventDefault();
      const item = JSON.parse(raw) as PaletteItem;
      const at = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const position = { x: Math.round(at.x - 100), y: Math.round(at.y - 20) };
      if (item.type === 'node' && getNodeDef(item.kind)) store.getState().addNode(item.kind, position);
      else if (item.type === 'block') store.getState().insertBlock(item.name, position);
    },
    [store, screenToFlowPosition],
  );

  return (
    <div className="canvas" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <CanvasToolbar />
      {doc.nodes.length === 0 && (
        <div className="canvas-empty">
          <strong>An empty canvas.</strong> Drag an <em>Input</em> from the palette to begin (or click it),
          then add layers below it and finish with an <em>Output</em>. Templates has ready-made networks.
        </div>
      )}
      <ReactFlow<CanvasNode, ShapeFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        connectionLineComponent={ConnectionLine}
        onPaneClick={() => store.getState().select([])}
        colorMode={theme}
        snapToGrid
        snapGrid={[10, 10]}
        deleteKeyCode={null}
        minZoom={0.05}
        onlyRenderVisibleElements
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} size={1.2} />
        <GroupBrackets brackets={view.brackets} down={view.direction === 'down'} />
        {minimap && (
          <MiniMap<CanvasNode> nodeColor={minimapColor} pannable zoomable ariaLabel="Overview of the graph" />
        )}
        <Controls showInteractive={false} showFitView={false}>
          <ControlButton
            onClick={() => store.getState().setPanels({ minimap: !minimap })}
            aria-label={minimap ? 'Hide the overview map' : 'Show the overview map'}
            aria-pressed={minimap}
            title={minimap ? 'Hide the overview map (M)' : 'Show the overview map (M)'}
          >
            ▦
          </ControlButton>
        </Controls>
      </ReactFlow>
    </div>
  );
}
