import '@xyflow/react/dist/style.css';
import './statusGraphCanvas.css';
import type { Report } from '@orderloom/schema';
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  type Connection,
  Controls,
  type EdgeChange,
  MiniMap,
  type NodeChange,
  type OnSelectionChangeParams,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button } from '../../components/Button.tsx';
import { Icon } from '../../components/Icon.tsx';
import { useCanvasStore } from '../../store/canvasStore.ts';
import type { CanvasProps } from '../kindDescriptor.ts';
import { GraphInspector } from './GraphInspector.tsx';
import { graphToFlow, type StateNode, type TransitionEdge } from './graphToFlow.ts';
import { layoutGraph, stateNodeSize } from './layoutGraph.ts';
import { StateNodeView } from './StateNodeView.tsx';
import {
  addState,
  connectStates,
  elementForReport,
  findFreePosition,
  type GraphDraft,
  type GraphSelection,
  graphDraftText,
  markersByElement,
  moveStates,
  type Point,
  parseGraphDraft,
  removeElements,
} from './statusGraphModel.ts';

const nodeTypes = { state: StateNodeView };
const selectionKey = (s: GraphSelection) => `${s.type}:${s.id}`;

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable ||
      /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) ||
      !!target.closest('[role="dialog"]'))
  );
}

/**
 * The status-graph canvas: states as nodes, transitions as edges, a side panel for the selection.
 * Every edit is a pure function over the parsed buffer, written back as JSON, so the JSON view and the
 * canvas never disagree. Default export so it can be `React.lazy`-loaded.
 */
export default function StatusGraphCanvas(props: CanvasProps) {
  const parsed = useMemo(() => parseGraphDraft(props.text), [props.text]);
  if (!parsed.ok) {
    return (
      <div className="canvas-invalid" role="alert" data-testid="canvas-invalid">
        <Icon name="error" size={28} />
        <h2>The canvas cannot show this draft</h2>
        <p>{parsed.message}</p>
        <p className="muted">
          Fix it in the JSON view; the canvas comes back as soon as the draft is readable.
        </p>
        <Button onClick={() => useCanvasStore.getState().setView(props.bufferKey, 'json')}>
          Open JSON view
        </Button>
      </div>
    );
  }
  return (
    <ReactFlowProvider>
      <GraphEditor {...props} draft={parsed.draft} />
    </ReactFlowProvider>
  );
}

function GraphEditor({
  bufferKey,
  draft,
  onChange,
  lintedValue,
  reports,
  editable,
}: CanvasProps & { draft: GraphDraft }) {
  const flow = useReactFlow<StateNode, TransitionEdge>();
  const wrapper = useRef<HTMLDivElement>(null);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const selected = useRef(new Set<string>());
  const fitAfterSync = useRef(false);
  const storeSelection = useCanvasStore((s) => s.selections[bufferKey] ?? null);
  const revealRequest = useCanvasStore((s) => s.revealRequests[bufferKey] ?? 0);
  const selection: GraphSelection | null =
    storeSelection && (storeSelection.type === 'state' || storeSelection.type === 'transition')
      ? (storeSelection as GraphSelection)
      : null;

  const markers = useMemo(() => markersByElement(lintedValue, reports), [lintedValue, reports]);
  const mapped = useMemo(() => graphToFlow(draft, markers), [draft, markers]);
  const [nodes, setNodes] = useState<StateNode[]>([]);
  const [edges, setEdges] = useState<TransitionEdge[]>([]);

  // The buffer is the source of truth; local node state only holds what React Flow changes between
  // commits (positions mid-drag, selection).
  useEffect(() => {
    setNodes(mapped.nodes.map((n) => ({ ...n, selected: selected.current.has(`state:${n.id}`) })));
    setEdges(mapped.edges.map((e) => ({ ...e, selected: selected.current.has(`transition:${e.id}`) })));
    if (fitAfterSync.current) {
      fitAfterSync.current = false;
      requestAnimationFrame(() => void flow.fitView({ duration: 250, padding: 0.15 }));
    }
  }, [mapped, flow]);

  const commit = useCallback((next: GraphDraft) => onChange(graphDraftText(next)), [onChange]);

  /** Selects exactly one element (or nothing), on the canvas and in the side panel. */
  const selectOnly = useCallback(
    (next: GraphSelection | null) => {
      selected.current = new Set(next ? [selectionKey(next)] : []);
      setNodes((ns) => ns.map((n) => ({ ...n, selected: selected.current.has(`state:${n.id}`) })));
      setEdges((es) => es.map((e) => ({ ...e, selected: selected.current.has(`transition:${e.id}`) })));
      useCanvasStore.getState().select(bufferKey, next);
    },
    [bufferKey],
  );

  // A problem clicked outside the canvas: select its element and bring it into view.
  useEffect(() => {
    if (revealRequest === 0) return;
    const target = useCanvasStore.getState().selections[bufferKey];
    if (!target || (target.type !== 'state' && target.type !== 'transition')) return;
    const request = target as GraphSelection;
    selectOnly(request);
    const transition =
      request.type === 'transition'
        ? draftRef.current.transitions?.find((t) => t.id === request.id)
        : undefined;
    const ids = transition ? [transition.from, transition.to] : [request.id];
    const fitNodes = ids.filter((id): id is string => id !== undefined).map((id) => ({ id }));
    requestAnimationFrame(
      () => void flow.fitView({ nodes: fitNodes, duration: 300, maxZoom: 1.2, padding: 0.4 }),
    );
  }, [revealRequest, bufferKey, selectOnly, flow]);

  const onNodesChange = useCallback((changes: NodeChange<StateNode>[]) => {
    // Removal goes through onDelete, which also removes the transitions; everything else is local.
    setNodes((ns) =>
      applyNodeChanges(
        changes.filter((c) => c.type !== 'remove'),
        ns,
      ),
    );
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange<TransitionEdge>[]) => {
    setEdges((es) =>
      applyEdgeChanges(
        changes.filter((c) => c.type !== 'remove'),
        es,
      ),
    );
  }, []);

  const onSelectionChange = useCallback(
    ({ nodes: selNodes, edges: selEdges }: OnSelectionChangeParams<StateNode, TransitionEdge>) => {
      selected.current = new Set([
        ...selNodes.map((n) => `state:${n.id}`),
        ...selEdges.map((e) => `transition:${e.id}`),
      ]);
      const first: GraphSelection | null = selNodes[0]
        ? { type: 'state', id: selNodes[0].id }
        : selEdges[0]
          ? { type: 'transition', id: selEdges[0].id }
          : null;
      useCanvasStore.getState().select(bufferKey, first);
    },
    [bufferKey],
  );

  const onNodeDragStop = useCallback(
    (_event: unknown, _node: StateNode, dragged: StateNode[]) => {
      const positions = new Map<string, Point>(dragged.map((n) => [n.id, n.position]));
      commit(moveStates(draftRef.current, positions));
    },
    [commit],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      const result = connectStates(draftRef.current, connection.source, connection.target);
      if (!result) return;
      commit(result.draft);
      selectOnly({ type: 'transition', id: result.id });
    },
    [commit, selectOnly],
  );

  const onDelete = useCallback(
    ({ nodes: gone, edges: goneEdges }: { nodes: StateNode[]; edges: TransitionEdge[] }) => {
      commit(
        removeElements(draftRef.current, {
          states: gone.map((n) => n.id),
          transitions: goneEdges.map((e) => e.id),
        }),
      );
      selectOnly(null);
    },
    [commit, selectOnly],
  );

  const addStateAtCentre = useCallback(() => {
    const box = wrapper.current?.getBoundingClientRect();
    const centre = box
      ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 })
      : { x: 0, y: 0 };
    const at = findFreePosition(
      draftRef.current,
      { x: centre.x - stateNodeSize.width / 2, y: centre.y - stateNodeSize.height / 2 },
      stateNodeSize,
    );
    const result = addState(draftRef.current, at);
    commit(result.draft);
    selectOnly({ type: 'state', id: result.id });
  }, [flow, commit, selectOnly]);

  const autoLayout = useCallback(() => {
    fitAfterSync.current = true;
    commit(layoutGraph(draftRef.current));
  }, [commit]);

  useEffect(() => {
    if (!editable) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== 'n' || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      event.preventDefault();
      addStateAtCentre();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editable, addStateAtCentre]);

  const selectionReports = useMemo((): Report[] => {
    if (!selection) return [];
    return reports.filter((r) => {
      const element = elementForReport(lintedValue, r);
      return element?.type === selection.type && element.id === selection.id;
    });
  }, [selection, reports, lintedValue]);

  return (
    <div className="graph-canvas" data-testid="status-graph-canvas">
      <div className="graph-flow" ref={wrapper}>
        <div className="graph-toolbar" role="toolbar" aria-label="Canvas tools">
          <Button
            size="sm"
            icon="plus"
            onClick={addStateAtCentre}
            disabledReason={editable ? null : 'This key cannot edit drafts.'}
          >
            Add state <kbd>N</kbd>
          </Button>
          <Button
            size="sm"
            onClick={autoLayout}
            disabledReason={editable ? null : 'This key cannot edit drafts.'}
          >
            Auto-layout
          </Button>
          <span className="graph-summary" data-testid="graph-summary">
            {draft.states.length} states · {draft.transitions?.length ?? 0} transitions
            {selection ? null : ' · drag from a right handle to connect · Delete removes the selection'}
          </span>
        </div>
        <ReactFlow<StateNode, TransitionEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onSelectionChange={onSelectionChange}
          onNodeDragStop={onNodeDragStop}
          onConnect={onConnect}
          onDelete={onDelete}
          deleteKeyCode={editable ? ['Delete', 'Backspace'] : null}
          nodesDraggable={editable}
          nodesConnectable={editable}
          fitView
          // Below about 0.55 labels are unreadable; a large graph starts centred and is panned instead.
          fitViewOptions={{ padding: 0.1, minZoom: 0.55 }}
          minZoom={0.1}
          proOptions={{ hideAttribution: true }}
          defaultEdgeOptions={{ labelBgPadding: [6, 3], labelBgBorderRadius: 4 }}
        >
          <Background gap={20} size={1} />
          <MiniMap
            pannable
            zoomable
            style={{ width: 160, height: 100 }}
            nodeStrokeWidth={3}
            nodeColor={(node) => (node.data.marker === 'error' ? '#f3b4b0' : '#c9cfdb')}
            ariaLabel="Mini map of the status graph"
          />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
      {selection ? (
        <GraphInspector
          draft={draft}
          selection={selection}
          reports={selectionReports}
          editable={editable}
          onChange={commit}
          onRenamed={selectOnly}
        />
      ) : null}
    </div>
  );
}
