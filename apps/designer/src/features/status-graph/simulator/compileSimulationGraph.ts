import { type CompiledStatusGraph, compileStatusGraph, StatusGraphDefinitionError } from '@orderloom/engine';
import { type Report, statusGraphDefinitionSchema, validate } from '@orderloom/schema';
import { parseDraftBuffer } from '../../parseDraftBuffer.ts';

/**
 * The draft, ready to simulate — or why it cannot be. `lintErrors` are errors the engine can run despite
 * (say, an unreachable state) but that would keep the draft from becoming a version.
 */
export type SimulationGraph =
  | { ok: true; graph: CompiledStatusGraph; lintErrors: Report[] }
  | { ok: false; message: string; reports: Report[] };

/**
 * Compiles the editor buffer of a status graph with the engine's own `compileStatusGraph`, the way the
 * runtime compiles a published version. Never throws.
 *
 * @example
 * const sim = compileSimulationGraph(buffer.text);
 * if (sim.ok) simulateStatusGraph(sim.graph, steps, options);
 */
export function compileSimulationGraph(text: string): SimulationGraph {
  const parsed = parseDraftBuffer(text);
  if (!parsed.ok) return { ok: false, message: parsed.message, reports: [] };
  const reports = validate('status-graph', parsed.value).filter((r) => r.severity === 'error');
  const definition = statusGraphDefinitionSchema.safeParse(parsed.value);
  if (!definition.success) {
    return { ok: false, message: 'The draft does not validate as a status graph.', reports };
  }
  try {
    return { ok: true, graph: compileStatusGraph(definition.data), lintErrors: reports };
  } catch (cause) {
    if (!(cause instanceof StatusGraphDefinitionError)) throw cause;
    return { ok: false, message: 'The engine cannot compile the draft.', reports: cause.reports };
  }
}
