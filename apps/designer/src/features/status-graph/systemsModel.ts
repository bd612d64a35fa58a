import { idSchema, type Report } from '@orderloom/schema';
import { isObject } from '../parseDraftBuffer.ts';
import { elementForReport, type GraphDraft, type GraphSelection } from './statusGraphModel.ts';

/** One code of a system's dictionary as the systems panel lists it. */
export interface StatusRow {
  code: string;
  label: string;
  meaning: string;
  /** The fact paths the code sets (`wms.outboundNo`). */
  sets: string[];
  implies: string | undefined;
  /** `<system>:<code>`, the nodeId lint and the conflict report use for it. */
  nodeId: string;
}

/** One system with its dictionary, as the systems panel lists it. */
export interface SystemRow {
  id: string;
  name: string;
  statuses: StatusRow[];
}

/** nodeId of a system status code, as lint and the dictionary import name it. */
export const statusNodeId = (system: string, code: string) => `${system}:${code}`;

/** Splits a `<system>:<code>` nodeId (system ids never contain `:`, codes may). */
export function parseStatusNodeId(nodeId: string): { system: string; code: string } | null {
  const at = nodeId.indexOf(':');
  if (at <= 0) return null;
  return { system: nodeId.slice(0, at), code: nodeId.slice(at + 1) };
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The systems of a draft with their dictionaries, skipping whatever an unsaved draft holds that is not one. */
export function systemRows(draft: GraphDraft): SystemRow[] {
  const systems: unknown[] = Array.isArray(draft.systems) ? draft.systems : [];
  return systems.flatMap((system): SystemRow[] => {
    if (!isObject(system) || typeof system.id !== 'string') return [];
    const id = system.id;
    const statuses: unknown[] = Array.isArray(system.statuses) ? system.statuses : [];
    return [
      {
        id,
        name: text(system.name),
        statuses: statuses.flatMap((status): StatusRow[] => {
          if (!isObject(status) || typeof status.code !== 'string') return [];
          return [
            {
              code: status.code,
              label: text(status.label),
              meaning: text(status.meaning),
              sets: isObject(status.sets) ? Object.keys(status.sets) : [],
              implies: typeof status.implies === 'string' ? status.implies : undefined,
              nodeId: statusNodeId(id, status.code),
            },
          ];
        }),
      },
    ];
  });
}

/** Result of an edit that can be refused with a reason. */
export type SystemsEdit = { ok: true; draft: GraphDraft } | { ok: false; message: string };

/**
 * Adds a code to a system's dictionary (label and implied state optional). Refuses an empty or
 * duplicate code, an unknown system and an implied state the graph does not have.
 */
export function addStatusCode(
  draft: GraphDraft,
  systemId: string,
  input: { code: string; label?: string; implies?: string },
): SystemsEdit {
  const code = input.code.trim();
  if (code === '') return { ok: false, message: 'Enter a code.' };
  if (code.length > 64) return { ok: false, message: 'A code has at most 64 characters.' };
  const systems = draft.systems ?? [];
  const system = systems.find((s) => isObject(s) && s.id === systemId);
  if (!system) return { ok: false, message: `There is no system "${systemId}".` };
  const statuses = Array.isArray(system.statuses) ? system.statuses : [];
  if (statuses.some((s) => isObject(s) && s.code === code)) {
    return { ok: false, message: `${systemId} already has a code "${code}".` };
  }
  const implies = input.implies?.trim() || undefined;
  if (implies !== undefined && !draft.states.some((s) => s.id === implies)) {
    return { ok: false, message: `There is no state "${implies}".` };
  }
  const status = {
    code,
    label: input.label?.trim() ?? '',
    meaning: '',
    sets: {},
    ...(implies === undefined ? {} : { implies }),
  };
  return {
    ok: true,
    draft: {
      ...draft,
      systems: systems.map((s) => (s === system ? { ...s, statuses: [...statuses, status] } : s)),
    },
  };
}

/** Removes a code from a system's dictionary. */
export function removeStatusCode(draft: GraphDraft, systemId: string, code: string): GraphDraft {
  return {
    ...draft,
    systems: (draft.systems ?? []).map((s) =>
      isObject(s) && s.id === systemId && Array.isArray(s.statuses)
        ? { ...s, statuses: s.statuses.filter((status) => !(isObject(status) && status.code === code)) }
        : s,
    ),
  };
}

/** Whether `name` can be the id of a new system (for the import's "new system" field). */
export function checkSystemId(name: string): string | null {
  const parsed = idSchema.safeParse(name.trim());
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'not a valid id');
}

/** The kinds of semantic conflict the dictionary import reports (the runtime's `semanticConflicts`). */
export const conflictKinds = [
  'same-label-different-meaning',
  'unmapped-code',
  'unused-meaning',
  'duplicate-meaning',
  'implies-unknown-state',
  'code-not-in-import',
] as const;
export type ConflictKind = (typeof conflictKinds)[number];

/** One finding of the import's conflict report: a lint report plus its kind and the other codes involved. */
export interface SemanticConflict extends Report {
  type: ConflictKind;
  nodeId: string;
  related: { path: string; nodeId: string }[];
}

/** `POST /api/definitions/status-graph/:id/dictionaries/:system` response. */
export interface DictionaryImportResult {
  draftRevision: number;
  system: string;
  added: string[];
  updated: string[];
  conflicts: SemanticConflict[];
  reports: Report[];
}

/** Heading and one-line explanation of each conflict kind. */
export const conflictKindText: Record<ConflictKind, { title: string; hint: string }> = {
  'same-label-different-meaning': {
    title: 'Same label, different meanings',
    hint: 'Another system uses this label for a code that means something else to the graph.',
  },
  'unmapped-code': {
    title: 'Codes that map to nothing',
    hint: 'They set no fact and imply no state, so their events change nothing.',
  },
  'unused-meaning': {
    title: 'Meanings no transition can use',
    hint: 'The code sets a fact that no guard reads.',
  },
  'duplicate-meaning': {
    title: 'Duplicate meanings',
    hint: 'Two codes of the system claim the very same mapping.',
  },
  'implies-unknown-state': {
    title: 'Implies an unknown state',
    hint: 'The code implies a state this graph does not have.',
  },
  'code-not-in-import': {
    title: 'Kept codes missing from the import',
    hint: 'The draft has them, the imported dictionary did not list them; they were kept.',
  },
};

/** The conflicts grouped by kind, in the order of {@link conflictKinds}; empty kinds are left out. */
export function groupConflicts(
  conflicts: readonly SemanticConflict[],
): { kind: ConflictKind; conflicts: SemanticConflict[] }[] {
  return conflictKinds.flatMap((kind) => {
    const ofKind = conflicts.filter((c) => c.type === kind);
    return ofKind.length > 0 ? [{ kind, conflicts: ofKind }] : [];
  });
}

/** Something a conflict concerns, which its link selects: a code row of the panel, a state, a transition. */
export type ConflictTarget =
  | { type: 'code'; system: string; code: string; nodeId: string; label: string }
  | (GraphSelection & { label: string });

/**
 * What a conflict concerns, the main thing first: the code it is about, the other codes involved, and
 * the states those codes imply (when the graph has them). A conflict whose path or nodeId names a state
 * or transition directly yields that element. Codes are found by nodeId, so the targets stay right after
 * the draft is edited and indexes shift.
 *
 * @example
 * conflictTargets({ type: 'same-label-different-meaning', nodeId: 'wms:OUTBOUND_DONE',
 *   related: [{ nodeId: 'crm:PUSHED', path: '/systems/0/statuses/1' }], … }, draft);
 * // → [code wms OUTBOUND_DONE, code crm PUSHED, state released-to-warehouse]
 */
export function conflictTargets(conflict: SemanticConflict, draft: GraphDraft): ConflictTarget[] {
  const rows = new Map(systemRows(draft).flatMap((s) => s.statuses.map((status) => [status.nodeId, status])));
  const states = new Map(draft.states.map((s) => [s.id, s]));
  const targets: ConflictTarget[] = [];
  const seen = new Set<string>();
  const push = (key: string, target: ConflictTarget) => {
    if (seen.has(key)) return;
    seen.add(key);
    targets.push(target);
  };
  const element = elementForReport(draft, conflict);
  if (element) {
    const label = element.type === 'state' ? (states.get(element.id)?.labels?.en ?? element.id) : element.id;
    push(`${element.type}:${element.id}`, { ...element, label });
  }
  const codes = [conflict.nodeId, ...conflict.related.map((r) => r.nodeId)];
  const implied: string[] = [];
  for (const nodeId of codes) {
    const parsed = parseStatusNodeId(nodeId);
    if (!parsed) continue;
    const row = rows.get(nodeId);
    push(`code:${nodeId}`, {
      type: 'code',
      ...parsed,
      nodeId,
      label: `${parsed.system} ${parsed.code}${row?.label ? ` ${row.label}` : ''}`,
    });
    if (row?.implies !== undefined && states.has(row.implies)) implied.push(row.implies);
  }
  for (const id of implied) {
    push(`state:${id}`, { type: 'state', id, label: `→ ${states.get(id)?.labels?.en ?? id}` });
  }
  return targets;
}
