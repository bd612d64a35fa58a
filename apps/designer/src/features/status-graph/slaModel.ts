import type { Report, Sla } from '@orderloom/schema';
import { parsePointer } from '../../lib/locateReport.ts';
import type { GraphDraft } from './statusGraphModel.ts';

/** One escalation level as it may appear in an unsaved draft. */
export type DraftSlaLevel = Partial<Sla['levels'][number]>;
/** An SLA as it may appear in an unsaved draft. */
export type DraftSla = Omit<Partial<Sla>, 'levels'> & { levels?: DraftSlaLevel[] };
/** The level names, in the order they usually escalate. */
export const slaLevelNames = ['warning', 'breach', 'escalation'] as const;
export type SlaLevelName = (typeof slaLevelNames)[number];

const slasOf = (draft: GraphDraft): DraftSla[] => (draft.slas ?? []) as DraftSla[];
// The draft type only knows complete levels; the buffer legitimately holds half-typed ones.
const withSlas = (draft: GraphDraft, slas: DraftSla[]): GraphDraft => ({
  ...draft,
  slas: slas as GraphDraft['slas'],
});

/** Drops keys set to `undefined`, so clearing a field removes it from the JSON instead of leaving `null`. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The SLAs of one state, with their index in `draft.slas` (reports and edits address them by it). */
export function slasOfState(draft: GraphDraft, stateId: string): { sla: DraftSla; index: number }[] {
  return slasOf(draft).flatMap((sla, index) => (sla.state === stateId ? [{ sla, index }] : []));
}

/**
 * Adds an SLA to a state: leave it within 60 minutes on all channels, escalating at 80 % (warning),
 * 100 % (breach) and 200 % (escalation) — the schema's default levels, written out so they can be
 * edited. Returns the draft and the new SLA's index.
 */
export function addSla(draft: GraphDraft, stateId: string): { draft: GraphDraft; index: number } {
  const slas = slasOf(draft);
  const taken = new Set(slas.map((s) => s.id));
  let id = `${stateId}-sla`;
  for (let n = 2; taken.has(id); n++) id = `${stateId}-sla-${n}`;
  const sla: DraftSla = {
    id,
    state: stateId,
    withinMinutes: 60,
    levels: [
      { atPercent: 80, level: 'warning', notify: [] },
      { atPercent: 100, level: 'breach', notify: [] },
      { atPercent: 200, level: 'escalation', notify: [] },
    ],
  };
  return { draft: withSlas(draft, [...slas, sla]), index: slas.length };
}

/** Changes fields of the SLA at `index`; a field set to `undefined` (e.g. `channel`) is removed. */
export function updateSla(
  draft: GraphDraft,
  index: number,
  patch: Partial<Omit<DraftSla, 'levels'>>,
): GraphDraft {
  return withSlas(
    draft,
    slasOf(draft).map((sla, i) => (i === index ? compact({ ...sla, ...patch }) : sla)),
  );
}

/** Removes the SLA at `index`. */
export function removeSla(draft: GraphDraft, index: number): GraphDraft {
  return withSlas(
    draft,
    slasOf(draft).filter((_, i) => i !== index),
  );
}

function updateLevels(
  draft: GraphDraft,
  index: number,
  change: (levels: DraftSlaLevel[]) => DraftSlaLevel[],
): GraphDraft {
  return withSlas(
    draft,
    slasOf(draft).map((sla, i) => (i === index ? { ...sla, levels: change(sla.levels ?? []) } : sla)),
  );
}

/**
 * Adds an escalation level after the last one: 100 % later, named after the last one's successor
 * (warning → breach → escalation), so a new level is rarely a duplicate of an old one.
 */
export function addSlaLevel(draft: GraphDraft, index: number): GraphDraft {
  return updateLevels(draft, index, (levels) => {
    const last = levels.at(-1);
    const lastName = slaLevelNames.indexOf(last?.level ?? 'warning');
    const level: SlaLevelName = last
      ? (slaLevelNames[Math.min(lastName + 1, slaLevelNames.length - 1)] ?? 'escalation')
      : 'warning';
    const atPercent = last?.atPercent !== undefined ? last.atPercent + 100 : 80;
    return [...levels, { atPercent, level, notify: [] }];
  });
}

/** Changes fields of one escalation level of the SLA at `index`. */
export function updateSlaLevel(
  draft: GraphDraft,
  index: number,
  levelIndex: number,
  patch: DraftSlaLevel,
): GraphDraft {
  return updateLevels(draft, index, (levels) =>
    levels.map((level, i) => (i === levelIndex ? compact({ ...level, ...patch }) : level)),
  );
}

/** Removes one escalation level of the SLA at `index`. */
export function removeSlaLevel(draft: GraphDraft, index: number, levelIndex: number): GraphDraft {
  return updateLevels(draft, index, (levels) => levels.filter((_, i) => i !== levelIndex));
}

/** Who is notified, typed as a list: `channel-ops, oms-on-call` → `['channel-ops', 'oms-on-call']`. */
export function parseNotify(text: string): string[] {
  return text
    .split(/[,，;；\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** `withinMinutes × atPercent / 100` as words: `12 min`, `2 h`, `1 h 30 min`, `1 d 2 h`. */
export function formatSlaMinutes(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 0) return '—';
  if (minutes < 60) return `${Math.round(minutes * 10) / 10} min`;
  const rounded = Math.round(minutes);
  const days = Math.floor(rounded / 1440);
  const hours = Math.floor((rounded % 1440) / 60);
  const rest = rounded % 60;
  const parts = [days ? `${days} d` : '', hours ? `${hours} h` : '', rest && !days ? `${rest} min` : ''];
  return parts.filter(Boolean).join(' ') || '0 min';
}

/**
 * The lint reports about the SLA at `index`, keyed by the field they concern: `withinMinutes`,
 * `channel`, `id`, `levels`, `levels/1/atPercent`, `levels/1/notify`…; reports about the SLA as a
 * whole (or a field the form does not show) are keyed `''`.
 */
export function slaFieldReports(reports: readonly Report[], index: number): Map<string, Report[]> {
  const byField = new Map<string, Report[]>();
  for (const report of reports) {
    const [collection, at, ...rest] = parsePointer(report.path);
    if (collection !== 'slas' || at !== String(index)) continue;
    const [field = '', levelIndex, levelField] = rest;
    let key = '';
    if (field === 'levels' && levelIndex !== undefined && /^\d+$/.test(levelIndex)) {
      key = levelField !== undefined ? `levels/${levelIndex}/${levelField}` : `levels/${levelIndex}`;
    } else if (['id', 'channel', 'withinMinutes', 'levels', 'state'].includes(field)) {
      key = field;
    }
    byField.set(key, [...(byField.get(key) ?? []), report]);
  }
  return byField;
}
