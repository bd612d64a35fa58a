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
import { toast } from '../../store/toastStore.ts';
import type { CanvasProps } from '../kindDescriptor.ts';
import { GraphSearch, searchIconPath } from './GraphSearch.tsx';
import { GraphSidePanel, SystemsToggleButton } from './GraphSidePanel.tsx';
import { graphToFlow, type StateNode, syncEdges, syncNodes, type TransitionEdge } from './graphToFlow.ts';
import { layoutGraph, stateNodeSize } from './layoutGraph.ts';
import { StateNodeView } from './StateNodeView.tsx';
import { highlightSimulation, useSimulationHighlight } from './simulator/highlightSimulation.ts';
import { SimulatorDock } from './simulator/SimulatorDock.tsx';
import {
  addState,
  connectStates,
  copyStates,
  elementForReport,
  findFreePosition,
  findStates,
  type GraphDraft,
  type GraphFragment,
  type GraphSelection,
  graphDraftText,
  markersByElement,
  moveStates,
  type Point,
  parseGraphDraft,
  pasteFragment,
  pasteOffset,
  removeElements,
} from './statusGraphModel.ts';

const nodeTypes = { state: StateNodeView };
const selectionKey = (s: GraphSelection) => `${s.type}:${s.id}`;
const fromSelectionKey = (key: string): GraphSelection =>
  key.startsWith('state:') ? { type: 'state', id: key.slice(6) } : { type: 'transition', id: key.slice(11) };
/** How far each paste of the same copy moves away from the last one (flow px). */
const pasteStep = 40;
/**
 * How the graph is fitted (first view, auto-layout): below about 0.55 labels are unreadable, so a large
 * graph is centred and panned instead; above 1 a two-state draft would be drawn huge.
 */
const fitOptions = { padding: 0.15, minZoom: 0.55, maxZoom: 1 };
/** From this many states on, the canvas renders only the nodes and edges in view. */
const largeGraph = 150;

/**
 * States copied on any status-graph canvas of this tab (so they can be pasted into another graph),
 * with how often they were pasted since, to offset each paste from the previous one.
 */
let clipboard: { fragment: GraphFragment; pastes: number } | null = null;

/** Marks the states a search found (`search-match`, the one jumped to `search-current`) and dims the rest. */
function highlightSearch(nodes: StateNode[], matches: readonly string[], current: string | undefined) {
  const found = new Set(matches);
  return nodes.map((n) => {
    const mark =
      n.id === current ? 'search-match search-current' : found.has(n.id) ? 'search-match' : 'search-dimmed';
    return { ...n, className: [n.className, mark].filter(Boolean).join(' ') };
  });
}

/** Sets `selected` where it changes, keeping every other element's identity (so it does not re-render). */
function withSelection<T extends { selected?: boolean }>(
  elements: T[],
  isSelected: (element: T) => boolean,
): T[] {
  return elements.map((element) => {
    const selected = isSelected(element);
    return (element.selected ?? false) === selected ? element : { ...element, selected };
  });
}

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
      <SimulatorDock bufferKey={props.bufferKey} text={props.text}>
        <GraphEditor {...props} draft={parsed.draft} />
      </SimulatorDock>
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
  const container = useRef<HTMLDivElement>(null);
  // Whether the last click or focus was on this canvas: Ctrl+C/V/F act on the canvas only then.
  const canvasActive = useRef(false);
  const searchInput = useRef<HTMLInputElement>(null);
  const [search, setSearch] = useState<{ query: string; current: number } | null>(null);
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
  const simulation = useSimulationHighlight(bufferKey);
  const matches = useMemo(() => (search ? findStates(draft, search.query) : []), [draft, search]);
  const searched = useMemo(
    () =>
      search && search.query.trim() !== '' ? highlightSearch(nodes, matches, matches[search.current]) : nodes,
    [nodes, search, matches],
  );
  const shown = useMemo(
    () => highlightSimulation(searched, edges, simulation),
    [searched, edges, simulation],
  );

  // The buffer is the source of truth; local node state only holds what React Flow changes between
  // commits (positions mid-drag, selection).
  useEffect(() => {
    // An undo or an edit in the JSON view may remove what was selected.
    const present = new Set([
      ...mapped.nodes.map((n) => `state:${n.id}`),
      ...mapped.edges.map((e) => `transition:${e.id}`),
    ]);
    selected.current = new Set([...selected.current].filter((k) => present.has(k)));
    const chosen = useCanvasStore.getState().selections[bufferKey];
    if (
      chosen &&
      (chosen.type === 'state' || chosen.type === 'transition') &&
      !present.has(`${chosen.type}:${chosen.id}`)
    )
      useCanvasStore.getState().select(bufferKey, null);
    setNodes((previous) => syncNodes(previous, mapped.nodes, (id) => selected.current.has(`state:${id}`)));
    setEdges((previous) =>
      syncEdges(previous, mapped.edges, (id) => selected.current.has(`transition:${id}`)),
    );
    if (fitAfterSync.current) {
      fitAfterSync.current = false;
      requestAnimationFrame(() => void flow.fitView({ ...fitOptions, duration: 250 }));
    }
  }, [mapped, flow, bufferKey]);

  const commit = useCallback((next: GraphDraft) => onChange(graphDraftText(next)), [onChange]);

  /** Selects these elements (the first one in the side panel), or nothing. */
  const selectMany = useCallback(
    (next: readonly GraphSelection[]) => {
      selected.current = new Set(next.map(selectionKey));
      setNodes((ns) => withSelection(ns, (n) => selected.current.has(`state:${n.id}`)));
      setEdges((es) => withSelection(es, (e) => selected.current.has(`transition:${e.id}`)));
      useCanvasStore.getState().select(bufferKey, next[0] ?? null);
    },
    [bufferKey],
  );
  /** Selects exactly one element (or nothing), on the canvas and in the side panel. */
  const selectOnly = useCallback(
    (next: GraphSelection | null) => selectMany(next ? [next] : []),
    [selectMany],
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
      // Elements selected by a paste may reach React Flow a render after the selection does: they are
      // not React Flow's to deselect yet, so they stay selected.
      const pending = [...selected.current].filter((k) => {
        const element = fromSelectionKey(k);
        return element.type === 'state' ? !flow.getNode(element.id) : !flow.getEdge(element.id);
      });
      selected.current = new Set([
        ...selNodes.map((n) => `state:${n.id}`),
        ...selEdges.map((e) => `transition:${e.id}`),
        ...pending,
      ]);
      const [first] = selected.current;
      useCanvasStore.getState().select(bufferKey, first === undefined ? null : fromSelectionKey(first));
    },
    [bufferKey, flow],
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

  const copySelection = useCallback(() => {
    const ids = [...selected.current].flatMap((k) => (k.startsWith('state:') ? [k.slice(6)] : []));
    const fragment = copyStates(draftRef.current, ids);
    if (!fragment) {
      toast.info(
        'Nothing to copy',
        'Select one or more states first; transitions are copied with their states.',
      );
      return;
    }
    clipboard = { fragment, pastes: 0 };
    // Also offered to other applications as JSON; the canvas itself pastes from its own clipboard.
    void navigator.clipboard?.writeText(JSON.stringify(fragment, null, 2)).catch(() => undefined);
    const n = fragment.states.length;
    toast.info(`Copied ${n} state${n === 1 ? '' : 's'}`, 'Ctrl+V pastes them with new ids.');
  }, []);

  const paste = useCallback(() => {
    if (!clipboard) {
      toast.info('Nothing to paste', 'Copy states first (select them, then Ctrl+C).');
      return;
    }
    clipboard.pastes += 1;
    const preferred = { x: pasteStep * clipboard.pastes, y: pasteStep * clipboard.pastes };
    const offset = pasteOffset(draftRef.current, clipboard.fragment, preferred, stateNodeSize);
    const result = pasteFragment(draftRef.current, clipboard.fragment, offset);
    commit(result.draft);
    selectMany([
      ...result.states.map((id): GraphSelection => ({ type: 'state', id })),
      ...result.transitions.map((id): GraphSelection => ({ type: 'transition', id })),
    ]);
    // Bring the copies into view when they landed outside it, keeping the zoom.
    const placed = result.draft.states.filter((st) => result.states.includes(st.id));
    const box = wrapper.current?.getBoundingClientRect();
    if (!box || placed.length === 0) return;
    const topLeft = flow.screenToFlowPosition({ x: box.left, y: box.top });
    const bottomRight = flow.screenToFlowPosition({ x: box.right, y: box.bottom });
    const xs = placed.map((st) => st.position?.x ?? 0);
    const ys = placed.map((st) => st.position?.y ?? 0);
    const [minX, minY] = [Math.min(...xs), Math.min(...ys)];
    const [maxX, maxY] = [Math.max(...xs) + stateNodeSize.width, Math.max(...ys) + stateNodeSize.height];
    if (minX >= topLeft.x && minY >= topLeft.y && maxX <= bottomRight.x && maxY <= bottomRight.y) return;
    void flow.setCenter((minX + maxX) / 2, (minY + maxY) / 2, { zoom: flow.getZoom(), duration: 250 });
  }, [commit, selectMany, flow]);

  const openSearch = useCallback(() => {
    setSearch((s) => s ?? { query: '', current: -1 });
    requestAnimationFrame(() => searchInput.current?.select());
  }, []);
  const closeSearch = useCallback(() => {
    setSearch(null);
    canvasActive.current = true;
    wrapper.current?.querySelector<HTMLElement>('.react-flow')?.focus();
  }, []);
  const step = useCallback(
    (direction: 1 | -1) => {
      if (!search || matches.length === 0) return;
      const current =
        search.current < 0 && direction === -1
          ? matches.length - 1
          : (search.current + direction + matches.length) % matches.length;
      setSearch({ ...search, current });
      const id = matches[current];
      if (id === undefined) return;
      selectOnly({ type: 'state', id });
      const node = flow.getNode(id);
      if (!node) return;
      const width = node.measured?.width ?? stateNodeSize.width;
      const height = node.measured?.height ?? stateNodeSize.height;
      void flow.setCenter(node.position.x + width / 2, node.position.y + height / 2, {
        zoom: Math.max(flow.getZoom(), 1),
        duration: 300,
      });
    },
    [search, matches, selectOnly, flow],
  );

  useEffect(() => {
    const onPointer = (event: Event) => {
      canvasActive.current = event.target instanceof Node && !!container.current?.contains(event.target);
    };
    document.addEventListener('pointerdown', onPointer, true);
    document.addEventListener('focusin', onPointer, true);
    return () => {
      document.removeEventListener('pointerdown', onPointer, true);
      document.removeEventListener('focusin', onPointer, true);
    };
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.altKey) return;
      const key = event.key.toLowerCase();
      if (!(event.ctrlKey || event.metaKey)) {
        if (key !== 'n' || !editable) return;
        event.preventDefault();
        addStateAtCentre();
        return;
      }
      if (event.shiftKey || !canvasActive.current) return;
      if (key === 'f') {
        event.preventDefault();
        openSearch();
      } else if (key === 'c') {
        // Text the user selected on the page copies as usual.
        if (window.getSelection()?.toString()) return;
        event.preventDefault();
        copySelection();
      } else if (key === 'v' && editable) {
        event.preventDefault();
        paste();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editable, addStateAtCentre, openSearch, copySelection, paste]);

  const selectionReports = useMemo((): Report[] => {
    if (!selection) return [];
    return reports.filter((r) => {
      const element = elementForReport(lintedValue, r);
      return element?.type === selection.type && element.id === selection.id;
    });
  }, [selection, reports, lintedValue]);

  return (
    <div className="graph-canvas" data-testid="status-graph-canvas" ref={container}>
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
          <SystemsToggleButton bufferKey={bufferKey} count={draft.systems?.length ?? 0} />
          {search ? (
            <GraphSearch
              inputRef={searchInput}
              query={search.query}
              onQuery={(query) => setSearch({ query, current: -1 })}
              matches={matches}
              current={search.current}
              onStep={step}
              onClose={closeSearch}
            />
          ) : (
            <Button size="sm" onClick={openSearch} aria-keyshortcuts="Control+F Meta+F">
              <Icon path={searchIconPath} />
              Find <kbd>{navigator.platform.startsWith('Mac') ? '⌘F' : 'Ctrl+F'}</kbd>
            </Button>
          )}
          <span className="graph-summary" data-testid="graph-summary">
            {draft.states.length} states · {draft.transitions?.length ?? 0} transitions
            {selection || search
              ? null
              : ' · drag a right handle to connect · Ctrl+C/V copies · Delete removes'}
          </span>
        </div>
        <ReactFlow<StateNode, TransitionEdge>
          nodes={shown.nodes}
          edges={shown.edges}
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
          // Large graphs mount only what is in view; small ones keep every node in the DOM.
          onlyRenderVisibleElements={shown.nodes.length > largeGraph}
          fitView
          fitViewOptions={fitOptions}
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
      <GraphSidePanel
        bufferKey={bufferKey}
        draft={draft}
        selection={selection}
        selectionReports={selectionReports}
        reports={reports}
        editable={editable}
        onChange={commit}
        onRenamed={selectOnly}
      />
    </div>
  );
}
