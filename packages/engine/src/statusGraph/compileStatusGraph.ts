import {
  type CanonicalState,
  jsonPointer,
  type Report,
  type Sla,
  type StatusGraphDefinition,
} from '@orderloom/schema';
import { CelError, type CompiledCel, compileCel } from '../compileCel.ts';

/** One `sets` entry of a system status: a fact path and the CEL expression that computes it. */
export interface CompiledFactSetter {
  /** `wms.outboundNo` */
  factPath: string;
  /** `['wms', 'outboundNo']` */
  segments: string[];
  expression: CompiledCel;
  /** JSON Pointer of the expression in the definition. */
  pointer: string;
}

/** One code of a system's dictionary, ready to apply. */
export interface CompiledSystemStatus {
  system: string;
  code: string;
  label: string;
  meaning: string;
  implies: string | undefined;
  sets: CompiledFactSetter[];
  /** JSON Pointer of the status in the definition. */
  pointer: string;
}

/** A transition with its guard parsed. */
export interface CompiledTransition {
  id: string;
  from: string;
  to: string;
  guard: CompiledCel;
  pointer: string;
}

/**
 * A status graph prepared for {@link transition}: CEL parsed once, dictionaries and adjacency indexed.
 * Build it once per published version and reuse it for every event.
 */
export interface CompiledStatusGraph {
  definition: StatusGraphDefinition;
  initialState: string;
  states: ReadonlyMap<string, CanonicalState>;
  /** system id → code → status. */
  systems: ReadonlyMap<string, ReadonlyMap<string, CompiledSystemStatus>>;
  /** state id → its outgoing transitions, in definition order (the first whose guard holds wins). */
  transitionsFrom: ReadonlyMap<string, readonly CompiledTransition[]>;
  /** state id → every state reachable from it by one or more transitions. */
  reachableFrom: ReadonlyMap<string, ReadonlySet<string>>;
  /** state id → its SLAs, in definition order. */
  slasByState: ReadonlyMap<string, readonly Sla[]>;
  /** Top-level fact namespaces (system ids and first segments of fact paths), seeded as empty maps. */
  factNamespaces: readonly string[];
}

/** The definition cannot be run; `reports` names every problem by JSON Pointer. */
export class StatusGraphDefinitionError extends Error {
  override readonly name = 'StatusGraphDefinitionError';
  readonly reports: Report[];

  constructor(definitionId: string, reports: Report[]) {
    super(
      `status graph ${definitionId} cannot be compiled: ${reports.map((r) => `${r.path}: ${r.message}`).join('; ')}`,
    );
    this.reports = reports;
  }
}

/**
 * Prepares a status-graph definition for {@link transition}. Throws a {@link StatusGraphDefinitionError}
 * listing every CEL expression that does not parse and every reference to a state that does not exist,
 * and when the graph has no (or more than one) initial state.
 *
 * @example
 * const graph = compileStatusGraph(statusGraphDefinitionSchema.parse(json));
 * const result = transition(graph, { orderId: 'DY1' }, event, clock);
 */
export function compileStatusGraph(definition: StatusGraphDefinition): CompiledStatusGraph {
  const reports: Report[] = [];
  const error = (path: string, message: string, nodeId?: string, cel?: CelError): void => {
    const report: Report = { path, severity: 'error', message };
    if (nodeId !== undefined) report.nodeId = nodeId;
    if (cel?.line !== undefined) report.line = cel.line;
    if (cel?.column !== undefined) report.column = cel.column;
    reports.push(report);
  };
  const cel = (expression: string, path: string, nodeId: string): CompiledCel | undefined => {
    try {
      return compileCel(expression, { path });
    } catch (e) {
      if (!(e instanceof CelError)) throw e;
      error(path, e.summary, nodeId, e);
      return undefined;
    }
  };

  const states = new Map<string, CanonicalState>();
  definition.states.forEach((state, i) => {
    if (states.has(state.id)) error(`/states/${i}/id`, `duplicate state "${state.id}"`, state.id);
    states.set(state.id, state);
  });
  const initial = definition.states.filter((s) => s.initial);
  if (initial.length !== 1) {
    error(
      '/states',
      initial.length === 0
        ? 'no state is marked initial'
        : `${initial.length} states are marked initial (${initial.map((s) => s.id).join(', ')})`,
    );
  }
  const requireState = (id: string, path: string, nodeId: string): void => {
    if (!states.has(id)) error(path, `unknown state "${id}"`, nodeId);
  };

  const namespaces = new Set<string>();
  const systems = new Map<string, Map<string, CompiledSystemStatus>>();
  definition.systems.forEach((system, si) => {
    if (systems.has(system.id)) error(`/systems/${si}/id`, `duplicate system "${system.id}"`, system.id);
    namespaces.add(system.id);
    const codes = new Map<string, CompiledSystemStatus>();
    system.statuses.forEach((status, ci) => {
      const pointer = `/systems/${si}/statuses/${ci}`;
      const nodeId = `${system.id}:${status.code}`;
      if (codes.has(status.code))
        error(`${pointer}/code`, `duplicate code "${status.code}" in ${system.id}`, nodeId);
      if (status.implies !== undefined) requireState(status.implies, `${pointer}/implies`, nodeId);
      const sets: CompiledFactSetter[] = [];
      for (const [factPath, expression] of Object.entries(status.sets)) {
        const setterPointer = `${pointer}${jsonPointer(['sets', factPath])}`;
        const segments = factPath.split('.');
        namespaces.add(segments[0] ?? factPath);
        const compiled = cel(expression, setterPointer, nodeId);
        if (compiled) sets.push({ factPath, segments, expression: compiled, pointer: setterPointer });
      }
      codes.set(status.code, {
        system: system.id,
        code: status.code,
        label: status.label,
        meaning: status.meaning,
        implies: status.implies,
        sets,
        pointer,
      });
    });
    systems.set(system.id, codes);
  });

  const transitionsFrom = new Map<string, CompiledTransition[]>();
  definition.transitions.forEach((t, i) => {
    const pointer = `/transitions/${i}`;
    requireState(t.from, `${pointer}/from`, t.id);
    requireState(t.to, `${pointer}/to`, t.id);
    const guard = cel(t.guard, `${pointer}/guard`, t.id);
    if (!guard) return;
    const list = transitionsFrom.get(t.from) ?? [];
    list.push({ id: t.id, from: t.from, to: t.to, guard, pointer });
    transitionsFrom.set(t.from, list);
  });

  const slasByState = new Map<string, Sla[]>();
  definition.slas.forEach((sla, i) => {
    requireState(sla.state, `/slas/${i}/state`, sla.id);
    const list = slasByState.get(sla.state) ?? [];
    list.push(sla);
    slasByState.set(sla.state, list);
  });

  if (reports.length > 0) throw new StatusGraphDefinitionError(definition.id, reports);

  return {
    definition,
    initialState: initial[0]?.id ?? '',
    states,
    systems,
    transitionsFrom,
    reachableFrom: reachability(
      [...states.keys()],
      definition.transitions.map((t) => [t.from, t.to]),
    ),
    slasByState,
    factNamespaces: [...namespaces],
  };
}

/** Transitive closure of the transition graph, by a breadth-first walk from every state. */
function reachability(
  stateIds: readonly string[],
  edges: readonly (readonly [string, string])[],
): Map<string, Set<string>> {
  const next = new Map<string, string[]>();
  for (const [from, to] of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const result = new Map<string, Set<string>>();
  for (const start of stateIds) {
    const seen = new Set<string>();
    const queue = [...(next.get(start) ?? [])];
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...(next.get(id) ?? []));
    }
    result.set(start, seen);
  }
  return result;
}
