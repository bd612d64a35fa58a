import type {
  Constraint,
  Factor,
  Parameter,
  Report,
  RoutingDefinition,
  Segment,
  warehouseTiers,
} from '@orderloom/schema';
import { parsePointer } from '../../lib/locateReport.ts';
import type { CanvasSelection } from '../kindDescriptor.ts';
import { isObject, parseDraftBuffer } from '../parseDraftBuffer.ts';

/** A fallback tier. */
export type Tier = (typeof warehouseTiers)[number];
/** One promotion window of a parameter. */
export type ParameterWindow = Parameter['windows'][number];

/**
 * The editor buffer of a routing strategy, parsed: the strategy form edits this shape and writes it back
 * as JSON, keeping every field it does not know about. Lists may be missing in an unsaved draft.
 */
export type RoutingDraft = Omit<
  Partial<RoutingDefinition>,
  'factors' | 'constraints' | 'parameters' | 'segments' | 'fallbackTiers' | 'split'
> & {
  factors: Partial<Factor>[];
  constraints?: Partial<Constraint>[];
  parameters?: (Partial<Omit<Parameter, 'windows'>> & { windows?: Partial<ParameterWindow>[] })[];
  segments?: Partial<Segment>[];
  fallbackTiers?: Tier[];
  split?: Partial<RoutingDefinition['split']>;
};

/** Result of reading the buffer for the strategy form. */
export type RoutingParse = { ok: true; draft: RoutingDraft } | { ok: false; message: string };

/** Reads the editor text as a strategy the form can show; what it cannot show is a sentence, not a throw. */
export function parseRoutingDraft(text: string): RoutingParse {
  const parsed = parseDraftBuffer(text);
  if (!parsed.ok) return parsed;
  const { value } = parsed;
  if (!Array.isArray(value.factors)) return { ok: false, message: 'The draft has no "factors" array.' };
  if (value.factors.some((f) => !isObject(f))) return { ok: false, message: 'A factor is not an object.' };
  for (const list of ['constraints', 'parameters', 'segments', 'fallbackTiers'] as const) {
    if (value[list] !== undefined && !Array.isArray(value[list]))
      return { ok: false, message: `"${list}" is not an array.` };
  }
  return { ok: true, draft: value as RoutingDraft };
}

/** The buffer text of a draft: 2-space JSON, as the JSON view shows it. */
export function routingDraftText(draft: RoutingDraft): string {
  return JSON.stringify(draft, null, 2);
}

function replaceAt<T>(list: readonly T[], index: number, next: T): T[] {
  return list.map((item, i) => (i === index ? next : item));
}

function uniqueId(base: string, taken: readonly (string | undefined)[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}

/** Clamps a weight to the schema's range [0, 1000]. */
export function clampWeight(weight: number): number {
  return Number.isFinite(weight) ? Math.min(1000, Math.max(0, weight)) : 0;
}

/** Changes fields of the factor at `index`. */
export function updateFactor(draft: RoutingDraft, index: number, patch: Partial<Factor>): RoutingDraft {
  const factor = draft.factors[index];
  if (!factor) return draft;
  return { ...draft, factors: replaceAt(draft.factors, index, { ...factor, ...patch }) };
}

/** Sets the weight of the factor at `index`, clamped to the schema's range. */
export function setFactorWeight(draft: RoutingDraft, index: number, weight: number): RoutingDraft {
  return updateFactor(draft, index, { weight: clampWeight(weight) });
}

/** Each factor's share of the total weight (weight / Σ weights); all zero when every weight is zero. */
export function weightShares(draft: RoutingDraft): number[] {
  const weights = draft.factors.map((f) => (typeof f.weight === 'number' ? Math.max(0, f.weight) : 0));
  const total = weights.reduce((sum, w) => sum + w, 0);
  return weights.map((w) => (total > 0 ? w / total : 0));
}

/** Appends a custom factor with a fresh id. */
export function addFactor(draft: RoutingDraft): RoutingDraft {
  const id = uniqueId(
    'custom',
    draft.factors.map((f) => f.id),
  );
  const factor: Partial<Factor> = {
    id,
    type: 'custom',
    weight: 5,
    direction: 'higher-better',
    normalization: 'min-max',
    expression: '0.0',
  };
  return { ...draft, factors: [...draft.factors, factor] };
}

/** Removes the factor at `index`. */
export function removeFactor(draft: RoutingDraft, index: number): RoutingDraft {
  return { ...draft, factors: draft.factors.filter((_, i) => i !== index) };
}

/** Changes fields of the constraint at `index`. */
export function updateConstraint(
  draft: RoutingDraft,
  index: number,
  patch: Partial<Constraint>,
): RoutingDraft {
  const list = draft.constraints ?? [];
  const current = list[index];
  if (!current) return draft;
  return { ...draft, constraints: replaceAt(list, index, { ...current, ...patch }) };
}

/** Appends a custom constraint (`true`: rejects nothing until edited). */
export function addConstraint(draft: RoutingDraft): RoutingDraft {
  const list = draft.constraints ?? [];
  const id = uniqueId(
    'custom',
    list.map((c) => c.id),
  );
  return { ...draft, constraints: [...list, { id, type: 'custom', expression: 'true' }] };
}

/** Removes the constraint at `index`. */
export function removeConstraint(draft: RoutingDraft, index: number): RoutingDraft {
  return { ...draft, constraints: (draft.constraints ?? []).filter((_, i) => i !== index) };
}

/** Changes fields of the parameter at `index` (not its windows). */
export function updateParameter(
  draft: RoutingDraft,
  index: number,
  patch: Partial<Omit<Parameter, 'windows'>>,
): RoutingDraft {
  const list = draft.parameters ?? [];
  const current = list[index];
  if (!current) return draft;
  return { ...draft, parameters: replaceAt(list, index, { ...current, ...patch }) };
}

/** Appends a parameter with a fresh name, value 1 and no windows. */
export function addParameter(draft: RoutingDraft): RoutingDraft {
  const list = draft.parameters ?? [];
  const name = uniqueId(
    'param',
    list.map((p) => p.name),
  );
  return { ...draft, parameters: [...list, { name, value: 1, windows: [] }] };
}

/** Removes the parameter at `index`. */
export function removeParameter(draft: RoutingDraft, index: number): RoutingDraft {
  return { ...draft, parameters: (draft.parameters ?? []).filter((_, i) => i !== index) };
}

/**
 * Appends a promotion window to the parameter at `index`: one day from `from` (an ISO timestamp),
 * keeping the parameter's current value until edited.
 */
export function addParameterWindow(draft: RoutingDraft, index: number, from: string): RoutingDraft {
  const parameter = draft.parameters?.[index];
  if (!parameter) return draft;
  const start = Date.parse(from);
  const to = new Date(start + 24 * 3600 * 1000).toISOString();
  const window: Partial<ParameterWindow> = {
    from: new Date(start).toISOString(),
    to,
    value: parameter.value ?? 0,
  };
  return updateParameterWindows(draft, index, [...(parameter.windows ?? []), window]);
}

/** Changes fields of one window of the parameter at `index`. */
export function updateParameterWindow(
  draft: RoutingDraft,
  index: number,
  windowIndex: number,
  patch: Partial<ParameterWindow>,
): RoutingDraft {
  const windows = draft.parameters?.[index]?.windows ?? [];
  const current = windows[windowIndex];
  if (!current) return draft;
  return updateParameterWindows(draft, index, replaceAt(windows, windowIndex, { ...current, ...patch }));
}

/** Removes one window of the parameter at `index`. */
export function removeParameterWindow(draft: RoutingDraft, index: number, windowIndex: number): RoutingDraft {
  const windows = draft.parameters?.[index]?.windows ?? [];
  return updateParameterWindows(
    draft,
    index,
    windows.filter((_, i) => i !== windowIndex),
  );
}

function updateParameterWindows(
  draft: RoutingDraft,
  index: number,
  windows: Partial<ParameterWindow>[],
): RoutingDraft {
  const list = draft.parameters ?? [];
  const current = list[index];
  if (!current) return draft;
  return { ...draft, parameters: replaceAt(list, index, { ...current, windows }) };
}

/** Changes fields of the segment at `index`. */
export function updateSegment(draft: RoutingDraft, index: number, patch: Partial<Segment>): RoutingDraft {
  const list = draft.segments ?? [];
  const current = list[index];
  if (!current) return draft;
  return { ...draft, segments: replaceAt(list, index, { ...current, ...patch }) };
}

/** Sets (a number) or removes (`null`) a segment's weight override for one factor. */
export function setSegmentWeight(
  draft: RoutingDraft,
  index: number,
  factor: string,
  weight: number | null,
): RoutingDraft {
  const current = draft.segments?.[index];
  if (!current) return draft;
  const weights = { ...(current.weights ?? {}) };
  if (weight === null) delete weights[factor];
  else weights[factor] = clampWeight(weight);
  return updateSegment(draft, index, { weights });
}

/** Appends a segment that matches nothing until its condition is written. */
export function addSegment(draft: RoutingDraft): RoutingDraft {
  const list = draft.segments ?? [];
  const id = uniqueId(
    'segment',
    list.map((s) => s.id),
  );
  return { ...draft, segments: [...list, { id, when: 'false', weights: {}, parameters: {} }] };
}

/** Removes the segment at `index`. */
export function removeSegment(draft: RoutingDraft, index: number): RoutingDraft {
  return { ...draft, segments: (draft.segments ?? []).filter((_, i) => i !== index) };
}

/** Moves the fallback tier at `from` to position `to` (drag and drop, or up/down). */
export function moveTier(draft: RoutingDraft, from: number, to: number): RoutingDraft {
  const tiers = [...(draft.fallbackTiers ?? [])];
  if (from === to || from < 0 || from >= tiers.length || to < 0 || to >= tiers.length) return draft;
  const [moved] = tiers.splice(from, 1);
  if (moved === undefined) return draft;
  tiers.splice(to, 0, moved);
  return { ...draft, fallbackTiers: tiers };
}

/** Changes the split policy. */
export function setSplit(draft: RoutingDraft, patch: Partial<RoutingDefinition['split']>): RoutingDraft {
  return { ...draft, split: { policy: 'none', maxParcels: 1, ...draft.split, ...patch } };
}

/** Sections of the strategy form a report can point at. */
const sections = ['factors', 'constraints', 'parameters', 'segments', 'fallbackTiers', 'split'] as const;

/**
 * The form field a report is about: `{ type: section, id: index }` for list items (`factors/2`), or the
 * section itself. Null for reports about the definition's header (name, id …).
 */
export function fieldForReport(_value: unknown, report: Pick<Report, 'path'>): CanvasSelection | null {
  const [section, index] = parsePointer(report.path);
  if (!section || !(sections as readonly string[]).includes(section)) return null;
  if (section === 'fallbackTiers' || section === 'split' || index === undefined || !/^\d+$/.test(index))
    return { type: section, id: '' };
  return { type: section, id: index };
}

/** Reports grouped by the form field they are about (key `section/index`, or `section`). */
export function reportsByField(reports: readonly Report[]): Map<string, Report[]> {
  const map = new Map<string, Report[]>();
  for (const report of reports) {
    const field = fieldForReport(undefined, report);
    if (!field) continue;
    const key = field.id === '' ? field.type : `${field.type}/${field.id}`;
    map.set(key, [...(map.get(key) ?? []), report]);
  }
  return map;
}
