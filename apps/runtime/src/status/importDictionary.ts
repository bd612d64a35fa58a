import {
  factPathCovers,
  factPathsRead,
  jsonPointer,
  type Report,
  type SourceSystem,
  type SystemDictionary,
  sourceSystemSchema,
  systemDictionarySchema,
  transitionSchema,
} from '@orderloom/schema';
import { parse as parseCsv } from 'csv-parse/sync';
import type { z } from 'zod';
import type { SemanticConflict } from './statusApiSchemas.ts';

/** Result of {@link mergeDictionary}. */
export interface MergedDictionary {
  /** The draft with the dictionary merged in (as raw JSON, defaults not applied). */
  draft: Record<string, unknown>;
  added: string[];
  updated: string[];
}

const csvColumns = ['code', 'label', 'meaning', 'implies'] as const;

/**
 * Reads a dictionary sent as CSV with a header row `code,label,meaning,implies` (label, meaning and
 * implies may be empty or left out). Problems are reported with the CSV line.
 */
export function dictionaryFromCsv(
  system: string,
  text: string,
): { ok: true; dictionary: SystemDictionary } | { ok: false; errors: Report[] } {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<
      string,
      string
    >[];
  } catch (err) {
    const line =
      typeof (err as { lines?: unknown }).lines === 'number' ? (err as { lines: number }).lines : undefined;
    return {
      ok: false,
      errors: [
        {
          path: '',
          severity: 'error',
          message: `not valid CSV: ${err instanceof Error ? err.message : String(err)}`,
          ...(line === undefined ? {} : { line }),
        },
      ],
    };
  }
  const header = rows[0] ? Object.keys(rows[0]) : [];
  const unknown = header.filter((c) => !(csvColumns as readonly string[]).includes(c));
  if (unknown.length > 0 || (rows.length > 0 && !header.includes('code'))) {
    return {
      ok: false,
      errors: [
        {
          path: '',
          severity: 'error',
          line: 1,
          message: `the header must name the columns ${csvColumns.join(',')} (code required)${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
        },
      ],
    };
  }
  const statuses = rows.map((r) => ({
    code: r.code ?? '',
    label: r.label ?? '',
    meaning: r.meaning ?? '',
    ...(r.implies ? { implies: r.implies } : {}),
  }));
  const parsed = systemDictionarySchema.safeParse({ system, statuses });
  if (parsed.success) return { ok: true, dictionary: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const row = typeof issue.path[1] === 'number' ? issue.path[1] : undefined;
      return {
        path: jsonPointer(issue.path),
        severity: 'error' as const,
        message: issue.message,
        ...(row === undefined ? {} : { line: row + 2 }),
      };
    }),
  };
}

/**
 * Merges a system's dictionary into a status-graph draft. Codes new to the system are appended; known
 * codes get the imported label and meaning, and the imported `implies`/`sets` when the import carries
 * them (a dictionary exported by a system usually carries words only, so the analyst's mapping is kept).
 * Codes the import does not list are kept. A system new to the draft is appended.
 *
 * @throws Error when the draft is not an object or its `systems` is not an array
 */
export function mergeDictionary(draft: unknown, dictionary: SystemDictionary): MergedDictionary {
  if (typeof draft !== 'object' || draft === null || Array.isArray(draft)) {
    throw new Error('the draft is not a JSON object');
  }
  const copy = structuredClone(draft) as Record<string, unknown>;
  const systems = copy.systems ?? [];
  if (!Array.isArray(systems)) throw new Error('the draft’s "systems" is not an array');
  copy.systems = systems;
  let system = systems.find((s): s is Record<string, unknown> => isRecord(s) && s.id === dictionary.system);
  if (!system) {
    system = { id: dictionary.system, name: dictionary.system, statuses: [] };
    systems.push(system);
  }
  const statuses = Array.isArray(system.statuses) ? (system.statuses as unknown[]) : [];
  system.statuses = statuses;
  const added: string[] = [];
  const updated: string[] = [];
  for (const incoming of dictionary.statuses) {
    const existing = statuses.find(
      (s): s is Record<string, unknown> => isRecord(s) && s.code === incoming.code,
    );
    const hasSets = Object.keys(incoming.sets).length > 0;
    if (!existing) {
      statuses.push({
        code: incoming.code,
        label: incoming.label,
        meaning: incoming.meaning,
        ...(hasSets ? { sets: incoming.sets } : {}),
        ...(incoming.implies === undefined ? {} : { implies: incoming.implies }),
      });
      added.push(incoming.code);
      continue;
    }
    const before = JSON.stringify(existing);
    existing.label = incoming.label;
    existing.meaning = incoming.meaning;
    if (hasSets) existing.sets = incoming.sets;
    if (incoming.implies !== undefined) existing.implies = incoming.implies;
    if (JSON.stringify(existing) !== before) updated.push(incoming.code);
  }
  return { draft: copy, added, updated };
}

interface Located {
  system: string;
  status: SourceSystem['statuses'][number];
  path: string;
  nodeId: string;
}

/**
 * The semantic conflict report of one system's dictionary within a status graph:
 *
 * - `same-label-different-meaning`: another system uses the same label for a code that means something
 *   else to the graph (CRM's 已发货 = pushed to the warehouse vs WMS's 已发货 = left the warehouse);
 * - `unmapped-code`: a code that sets no fact and implies no state, so its events change nothing;
 * - `unused-meaning`: a fact the code sets that no transition guard reads;
 * - `implies-unknown-state`: the code implies a state the graph does not have;
 * - `duplicate-meaning`: two codes of the system with the very same mapping;
 * - `code-not-in-import`: codes the draft has but the imported dictionary did not list (kept).
 *
 * Each finding is a lint report (path, nodeId) the designer can link to, plus the codes involved.
 */
export function semanticConflicts(
  draft: Record<string, unknown>,
  system: string,
  imported: readonly string[] = [],
): SemanticConflict[] {
  const systems = lenientArray(sourceSystemSchema, draft.systems);
  const transitions = lenientArray(transitionSchema, draft.transitions);
  const stateIds = new Set(
    (Array.isArray(draft.states) ? draft.states : []).flatMap((s) =>
      isRecord(s) && typeof s.id === 'string' ? [s.id] : [],
    ),
  );
  const guardReads = transitions.flatMap((t) => (t ? factPathsRead(t.guard) : []));
  const located: Located[] = systems.flatMap((s, si) =>
    s
      ? s.statuses.map((status, ci) => ({
          system: s.id,
          status,
          path: `/systems/${si}/statuses/${ci}`,
          nodeId: `${s.id}:${status.code}`,
        }))
      : [],
  );
  const own = located.filter((l) => l.system === system);
  const conflicts: SemanticConflict[] = [];
  const add = (
    type: SemanticConflict['type'],
    at: { path: string; nodeId: string },
    severity: Report['severity'],
    message: string,
    related: Located[] = [],
  ) =>
    conflicts.push({
      type,
      path: at.path,
      nodeId: at.nodeId,
      severity,
      message,
      related: related.map((r) => ({ path: r.path, nodeId: r.nodeId })),
    });

  for (const mine of own) {
    const { status } = mine;
    const label = status.label.trim();
    if (label !== '') {
      const clashes = located.filter(
        (other) =>
          other.system !== system &&
          other.status.label.trim() === label &&
          !sameMeaning(mine.status, other.status),
      );
      if (clashes.length > 0) {
        add(
          'same-label-different-meaning',
          mine,
          'warning',
          `label "${label}" means different things: ${[mine, ...clashes].map(describe).join('; ')}`,
          clashes,
        );
      }
    }
    const setPaths = Object.keys(status.sets);
    if (setPaths.length === 0 && status.implies === undefined) {
      add(
        'unmapped-code',
        mine,
        'warning',
        `${system} ${status.code} ("${status.label}") maps to nothing: it sets no fact and implies no state, so its events change nothing`,
      );
    }
    for (const factPath of setPaths) {
      if (!guardReads.some((read) => factPathCovers(read, factPath))) {
        add(
          'unused-meaning',
          { path: `${mine.path}${jsonPointer(['sets', factPath])}`, nodeId: mine.nodeId },
          'warning',
          `${system} ${status.code} sets ${factPath}, but no transition guard reads it: no transition can use this meaning`,
        );
      }
    }
    if (status.implies !== undefined && !stateIds.has(status.implies)) {
      add(
        'implies-unknown-state',
        { path: `${mine.path}/implies`, nodeId: mine.nodeId },
        'error',
        `${system} ${status.code} implies "${status.implies}", which is not a state of this graph`,
      );
    }
  }

  const bySignature = new Map<string, Located[]>();
  for (const mine of own) {
    const signature = mappingSignature(mine.status);
    if (signature === undefined) continue;
    bySignature.set(signature, [...(bySignature.get(signature) ?? []), mine]);
  }
  for (const group of bySignature.values()) {
    const [first, ...rest] = group;
    if (!first) continue;
    for (const duplicate of rest) {
      add(
        'duplicate-meaning',
        duplicate,
        'warning',
        `${system} ${duplicate.status.code} and ${first.status.code} claim the same meaning (${describeMapping(first.status)})`,
        [first],
      );
    }
  }

  if (imported.length > 0) {
    const listed = new Set(imported);
    for (const mine of own) {
      if (!listed.has(mine.status.code)) {
        add(
          'code-not-in-import',
          mine,
          'warning',
          `${system} ${mine.status.code} is in the draft but not in the imported dictionary; it was kept`,
        );
      }
    }
  }
  return conflicts;
}

/** What a code means to the graph, comparable across systems (fact namespaces differ per system). */
function sameMeaning(a: SourceSystem['statuses'][number], b: SourceSystem['statuses'][number]): boolean {
  if (a.implies !== undefined || b.implies !== undefined) return a.implies === b.implies;
  const facts = (s: typeof a) =>
    Object.keys(s.sets)
      .map((p) => p.split('.').slice(1).join('.'))
      .sort()
      .join(',');
  const aFacts = facts(a);
  const bFacts = facts(b);
  if (aFacts === '' && bFacts === '')
    return a.meaning.trim().toLowerCase() === b.meaning.trim().toLowerCase();
  return aFacts === bFacts;
}

function mappingSignature(s: SourceSystem['statuses'][number]): string | undefined {
  const sets = Object.entries(s.sets).sort(([a], [b]) => a.localeCompare(b));
  if (sets.length === 0 && s.implies === undefined) return undefined;
  return JSON.stringify([s.implies ?? null, sets]);
}

function describeMapping(s: SourceSystem['statuses'][number]): string {
  const parts: string[] = [];
  if (s.implies !== undefined) parts.push(`implies "${s.implies}"`);
  const sets = Object.keys(s.sets);
  if (sets.length > 0) parts.push(`sets ${sets.join(', ')}`);
  return parts.length > 0 ? parts.join(' and ') : `maps to nothing ("${s.meaning}")`;
}

function describe(l: Located): string {
  return `${l.system} ${l.status.code} ${describeMapping(l.status)}`;
}

function lenientArray<T extends z.ZodType>(schema: T, value: unknown): (z.output<T> | undefined)[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => {
    const parsed = schema.safeParse(item);
    return parsed.success ? parsed.data : undefined;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
