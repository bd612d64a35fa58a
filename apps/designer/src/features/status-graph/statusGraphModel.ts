import type { CanonicalState, Report, Sla, StatusGraphDefinition, Transition } from '@orderloom/schema';
import { parsePointer } from '../../lib/locateReport.ts';
import { isObject, parseDraftBuffer } from '../parseDraftBuffer.ts';

/** A state as it may appear in an unsaved draft: only `id` is relied on, defaults may be missing. */
export type DraftState = Partial<CanonicalState> & Pick<CanonicalState, 'id'>;
/** A transition as it may appear in an unsaved draft. */
export type DraftTransition = Partial<Transition> & Pick<Transition, 'id'>;

/**
 * The editor buffer of a status graph, parsed: the canvas edits this shape and writes it back as JSON,
 * keeping every field it does not know about.
 */
export type GraphDraft = Omit<Partial<StatusGraphDefinition>, 'states' | 'transitions' | 'slas'> & {
  states: DraftState[];
  transitions?: DraftTransition[];
  slas?: Partial<Sla>[];
};

/** What is selected on the canvas: a state (node) or a transition (edge), by id. */
export type GraphSelection = { type: 'state'; id: string } | { type: 'transition'; id: string };

/** Canvas position of a node. */
export interface Point {
  x: number;
  y: number;
}

/** Result of reading the buffer for the canvas. */
export type GraphParse = { ok: true; draft: GraphDraft } | { ok: false; message: string };

/**
 * Reads the editor text as a status graph the canvas can draw. Anything the canvas cannot draw (a JSON
 * syntax error, states that are not objects with an `id`) is reported as a sentence instead of throwing.
 */
export function parseGraphDraft(text: string): GraphParse {
  const parsed = parseDraftBuffer(text);
  if (!parsed.ok) return parsed;
  const { states, transitions } = parsed.value;
  if (!Array.isArray(states)) return { ok: false, message: 'The draft has no "states" array.' };
  const badState = states.findIndex((s) => !isObject(s) || typeof s.id !== 'string');
  if (badState >= 0) return { ok: false, message: `State ${badState} has no string "id".` };
  if (transitions !== undefined) {
    if (!Array.isArray(transitions)) return { ok: false, message: '"transitions" is not an array.' };
    const bad = transitions.findIndex((t) => !isObject(t) || typeof t.id !== 'string');
    if (bad >= 0) return { ok: false, message: `Transition ${bad} has no string "id".` };
  }
  return { ok: true, draft: parsed.value as GraphDraft };
}

/** The buffer text of a draft: 2-space JSON, as the JSON view shows it. */
export function graphDraftText(draft: GraphDraft): string {
  return JSON.stringify(draft, null, 2);
}

function uniqueId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

/**
 * The first spot at or below `at` where a node of `size` overlaps no state (with a margin), so a state
 * added in the middle of a crowded graph does not land on top of another. States without a position
 * are ignored (they are drawn wherever the canvas puts them).
 */
export function findFreePosition(
  draft: GraphDraft,
  at: Point,
  size: { width: number; height: number },
  margin = 24,
): Point {
  const boxes = draft.states.flatMap((s) => (s.position ? [s.position] : []));
  const overlaps = (p: Point) =>
    boxes.some(
      (b) =>
        p.x < b.x + size.width + margin &&
        b.x < p.x + size.width + margin &&
        p.y < b.y + size.height + margin &&
        b.y < p.y + size.height + margin,
    );
  const step = size.height + margin;
  for (let row = 0; row < 200; row++) {
    for (const direction of row === 0 ? [0] : [1, -1]) {
      const candidate = { x: at.x, y: at.y + direction * row * step };
      if (!overlaps(candidate)) return candidate;
    }
  }
  return at;
}

/** Adds a state at `position` with a fresh id (`state`, `state-2`, …); returns the draft and the new id. */
export function addState(draft: GraphDraft, position: Point): { draft: GraphDraft; id: string } {
  const id = uniqueId(
    'state',
    draft.states.map((s) => s.id),
  );
  const state: DraftState = {
    id,
    labels: { en: 'New state' },
    definition: '',
    steward: '',
    initial: draft.states.length === 0,
    terminal: false,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
  };
  return { draft: { ...draft, states: [...draft.states, state] }, id };
}

/**
 * Adds a transition `from → to` guarded by `true`, with an id made of both state ids.
 * Returns `null` when either state does not exist.
 */
export function connectStates(
  draft: GraphDraft,
  from: string,
  to: string,
): { draft: GraphDraft; id: string } | null {
  const known = new Set(draft.states.map((s) => s.id));
  if (!known.has(from) || !known.has(to)) return null;
  const transitions = draft.transitions ?? [];
  const id = uniqueId(
    `${from}-to-${to}`,
    transitions.map((t) => t.id),
  );
  return { draft: { ...draft, transitions: [...transitions, { id, from, to, guard: 'true' }] }, id };
}

/**
 * Removes states and transitions by id. Transitions leaving or entering a removed state and the SLAs
 * of removed states go too, so the graph never holds dangling references. Dictionary codes that imply
 * a removed state are kept: the problems panel flags them, and a mapping is not the canvas's to drop.
 */
export function removeElements(
  draft: GraphDraft,
  remove: { states?: readonly string[]; transitions?: readonly string[] },
): GraphDraft {
  const states = new Set(remove.states ?? []);
  const transitions = new Set(remove.transitions ?? []);
  const next: GraphDraft = { ...draft, states: draft.states.filter((s) => !states.has(s.id)) };
  if (draft.transitions) {
    next.transitions = draft.transitions.filter(
      (t) =>
        !transitions.has(t.id) &&
        !(t.from !== undefined && states.has(t.from)) &&
        !(t.to !== undefined && states.has(t.to)),
    );
  }
  if (draft.slas && states.size > 0) {
    next.slas = draft.slas.filter((sla) => !(sla.state !== undefined && states.has(sla.state)));
  }
  return next;
}

/** States copied from a graph with the transitions among them and their SLAs, ready to paste. */
export interface GraphFragment {
  states: DraftState[];
  transitions: DraftTransition[];
  slas: Partial<Sla>[];
}

/**
 * Copies the given states, every transition whose two ends are among them, and their SLAs.
 * Returns `null` when none of the ids names a state (only edges selected, or nothing).
 */
export function copyStates(draft: GraphDraft, ids: Iterable<string>): GraphFragment | null {
  const wanted = new Set(ids);
  const states = draft.states.filter((s) => wanted.has(s.id));
  if (states.length === 0) return null;
  const copied = new Set(states.map((s) => s.id));
  const inside = (id: string | undefined) => id !== undefined && copied.has(id);
  return structuredClone({
    states,
    transitions: (draft.transitions ?? []).filter((t) => inside(t.from) && inside(t.to)),
    slas: (draft.slas ?? []).filter((sla) => inside(sla.state)),
  });
}

/** `shipped` → `shipped-copy`; a copy of a copy stays `shipped-copy` (then `-2`, `-3`… when taken). */
function copyIdBase(id: string): string {
  return `${id.replace(/-copy(-\d+)?$/, '')}-copy`.slice(0, 64);
}

/**
 * Pastes a fragment into a graph: every state, transition and SLA gets a fresh id unique in the graph
 * (`shipped-copy`, `shipped-copy-2`, …), references inside the fragment follow the new ids, and states
 * are moved by `offset` so the copies do not cover the originals. English labels get " (copy)" so
 * the two are told apart on the canvas, and a pasted state is never a second initial state. Returns the new draft and the ids of the pasted states and transitions.
 */
export function pasteFragment(
  draft: GraphDraft,
  fragment: GraphFragment,
  offset: Point,
): { draft: GraphDraft; states: string[]; transitions: string[] } {
  const stateIds = draft.states.map((s) => s.id);
  const renamed = new Map<string, string>();
  const hasInitial = draft.states.some((s) => s.initial);
  const states = fragment.states.map((state, index): DraftState => {
    const id = uniqueId(copyIdBase(state.id), stateIds);
    stateIds.push(id);
    renamed.set(state.id, id);
    const at = state.position ?? { x: index * 40, y: 0 };
    const copy = structuredClone(state);
    if (copy.labels?.en) copy.labels.en = `${copy.labels.en.replace(/ \(copy\)$/, '')} (copy)`;
    return {
      ...copy,
      id,
      initial: hasInitial ? false : state.initial,
      position: { x: Math.round(at.x + offset.x), y: Math.round(at.y + offset.y) },
    };
  });
  const follow = (id: string | undefined) => (id === undefined ? id : (renamed.get(id) ?? id));
  const transitionIds = (draft.transitions ?? []).map((t) => t.id);
  const transitions = fragment.transitions.map((transition): DraftTransition => {
    const id = uniqueId(copyIdBase(transition.id), transitionIds);
    transitionIds.push(id);
    return { ...structuredClone(transition), id, from: follow(transition.from), to: follow(transition.to) };
  });
  const slaIds = (draft.slas ?? []).flatMap((sla) => (sla.id === undefined ? [] : [sla.id]));
  const slas = fragment.slas.map((sla): Partial<Sla> => {
    const id = uniqueId(copyIdBase(sla.id ?? 'sla'), slaIds);
    slaIds.push(id);
    return { ...structuredClone(sla), id, state: follow(sla.state) };
  });
  const next: GraphDraft = { ...draft, states: [...draft.states, ...states] };
  if (transitions.length > 0 || draft.transitions) {
    next.transitions = [...(draft.transitions ?? []), ...transitions];
  }
  if (slas.length > 0 || draft.slas) next.slas = [...(draft.slas ?? []), ...slas];
  return { draft: next, states: states.map((s) => s.id), transitions: transitions.map((t) => t.id) };
}

/**
 * How far to move a fragment when pasting: `preferred`, or further down until none of its states
 * (boxes of `size`, `margin` apart) overlaps a state of the graph, so copies never hide the originals.
 * States without a position are placed as {@link pasteFragment} places them.
 */
export function pasteOffset(
  draft: GraphDraft,
  fragment: GraphFragment,
  preferred: Point,
  size: { width: number; height: number },
  margin = 16,
): Point {
  const taken = draft.states.flatMap((s) => (s.position ? [s.position] : []));
  const pasted = fragment.states.map((s, index) => s.position ?? { x: index * 40, y: 0 });
  const overlaps = (offset: Point) =>
    pasted.some((p) =>
      taken.some(
        (b) =>
          Math.abs(p.x + offset.x - b.x) < size.width + margin &&
          Math.abs(p.y + offset.y - b.y) < size.height + margin,
      ),
    );
  const step = Math.max(10, Math.round(size.height / 4));
  for (let row = 0; row < 400; row++) {
    const candidate = { x: preferred.x, y: preferred.y + row * step };
    if (!overlaps(candidate)) return candidate;
  }
  return preferred;
}

/**
 * The states a canvas search finds, in graph order: the query (case-insensitive, surrounding spaces
 * ignored) is part of the state's id, one of its labels or its steward. An empty query finds nothing.
 */
export function findStates(draft: GraphDraft, query: string): string[] {
  const needle = query.trim().toLocaleLowerCase();
  if (needle === '') return [];
  const seen = new Set<string>();
  return draft.states.flatMap((state) => {
    if (seen.has(state.id)) return [];
    seen.add(state.id);
    const haystack = [state.id, state.steward ?? '', ...Object.values(state.labels ?? {})];
    return haystack.some((text) => typeof text === 'string' && text.toLocaleLowerCase().includes(needle))
      ? [state.id]
      : [];
  });
}

/** Moves states to new positions (rounded to whole pixels, so the JSON stays readable). */
export function moveStates(draft: GraphDraft, positions: ReadonlyMap<string, Point>): GraphDraft {
  return {
    ...draft,
    states: draft.states.map((s) => {
      const at = positions.get(s.id);
      return at ? { ...s, position: { x: Math.round(at.x), y: Math.round(at.y) } } : s;
    }),
  };
}

/**
 * Changes one state's fields. Renaming its `id` renames every reference to it (transition ends, SLAs,
 * system statuses that imply it), so a rename never breaks the graph.
 */
export function updateState(draft: GraphDraft, id: string, patch: Partial<DraftState>): GraphDraft {
  const renamed = patch.id !== undefined && patch.id !== id ? patch.id : undefined;
  const next: GraphDraft = {
    ...draft,
    states: draft.states.map((s) => (s.id === id ? { ...s, ...patch } : s)),
  };
  if (renamed === undefined) return next;
  const rename = (value: string | undefined) => (value === id ? renamed : value);
  if (draft.transitions) {
    next.transitions = draft.transitions.map((t) =>
      t.from === id || t.to === id ? { ...t, from: rename(t.from), to: rename(t.to) } : t,
    );
  }
  if (draft.slas) next.slas = draft.slas.map((sla) => (sla.state === id ? { ...sla, state: renamed } : sla));
  if (draft.systems) {
    next.systems = draft.systems.map((system) =>
      system.statuses?.some((status) => status.implies === id)
        ? {
            ...system,
            statuses: system.statuses.map((status) =>
              status.implies === id ? { ...status, implies: renamed } : status,
            ),
          }
        : system,
    );
  }
  return next;
}

/** Changes one transition's fields. */
export function updateTransition(draft: GraphDraft, id: string, patch: Partial<DraftTransition>): GraphDraft {
  return {
    ...draft,
    transitions: (draft.transitions ?? []).map((t) => (t.id === id ? { ...t, ...patch } : t)),
  };
}

/**
 * The canvas element a report is about: `/states/3/…` is the fourth state, `/transitions/1/guard` the
 * second transition, an SLA report marks the SLA's state; otherwise a `nodeId` naming a state or
 * transition. `draft` must be the value the report was computed on, so indexes match.
 */
export function elementForReport(
  draft: unknown,
  report: Pick<Report, 'path' | 'nodeId'>,
): GraphSelection | null {
  if (!isObject(draft)) return null;
  const [collection, index] = parsePointer(report.path);
  const item = (name: string): Record<string, unknown> | undefined => {
    const list = draft[name];
    if (!Array.isArray(list) || index === undefined || !/^\d+$/.test(index)) return undefined;
    const found: unknown = list[Number(index)];
    return isObject(found) ? found : undefined;
  };
  if (collection === 'states') {
    const id = item('states')?.id;
    if (typeof id === 'string') return { type: 'state', id };
  }
  if (collection === 'transitions') {
    const id = item('transitions')?.id;
    if (typeof id === 'string') return { type: 'transition', id };
  }
  if (collection === 'slas') {
    const state = item('slas')?.state;
    if (typeof state === 'string' && hasId(draft.states, state)) return { type: 'state', id: state };
  }
  if (report.nodeId !== undefined) {
    if (hasId(draft.states, report.nodeId)) return { type: 'state', id: report.nodeId };
    if (hasId(draft.transitions, report.nodeId)) return { type: 'transition', id: report.nodeId };
  }
  return null;
}

function hasId(list: unknown, id: string): boolean {
  return Array.isArray(list) && list.some((x) => isObject(x) && x.id === id);
}

/** The worst severity reported for each state and transition, keyed `state:<id>` / `transition:<id>`. */
export function markersByElement(
  lintedValue: unknown,
  reports: readonly Pick<Report, 'path' | 'nodeId' | 'severity'>[],
): Map<string, 'error' | 'warning'> {
  const markers = new Map<string, 'error' | 'warning'>();
  for (const report of reports) {
    const element = elementForReport(lintedValue, report);
    if (!element) continue;
    const key = `${element.type}:${element.id}`;
    if (markers.get(key) !== 'error') markers.set(key, report.severity);
  }
  return markers;
}
