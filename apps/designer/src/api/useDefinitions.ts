import { type DefinitionKind, definitionKinds } from '@orderloom/schema';
import { useQuery } from '@tanstack/react-query';
import { apiRequest } from './apiClient.ts';
import { queryKeys } from './queryKeys.ts';
import type { DefinitionSummary, EnvironmentPointers } from './types.ts';

type Raw = Record<string, unknown>;

function asRecord(value: unknown): Raw {
  return typeof value === 'object' && value !== null ? (value as Raw) : {};
}

function asVersion(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

/** Reads environment pointers whether the runtime sends numbers or `{ version }` objects. */
export function toEnvironmentPointers(value: unknown): EnvironmentPointers {
  const raw = asRecord(value);
  const pick = (env: unknown) => asVersion(env) ?? asVersion(asRecord(env).version);
  return { sandbox: pick(raw.sandbox), production: pick(raw.production) };
}

/** Normalises one list row of `GET /api/definitions`. */
export function toDefinitionSummary(value: unknown): DefinitionSummary | null {
  const raw = asRecord(value);
  const kind = raw.kind;
  if (typeof raw.id !== 'string' || !definitionKinds.includes(kind as DefinitionKind)) return null;
  const draft = asRecord(raw.draft);
  const versions = Array.isArray(raw.versions) ? raw.versions.map((v) => asVersion(asRecord(v).version)) : [];
  const versionNumbers = versions.filter((v): v is number => v !== null);
  const latestVersion =
    asVersion(raw.latestVersion) ??
    (versionNumbers.length > 0 ? Math.max(...versionNumbers) : null) ??
    asVersion(raw.versionCount);
  const name = typeof raw.name === 'string' ? raw.name : typeof draft.name === 'string' ? draft.name : raw.id;
  const updatedAt = typeof raw.updatedAt === 'string' ? raw.updatedAt : null;
  return {
    id: raw.id,
    kind: kind as DefinitionKind,
    name,
    draftRevision: asVersion(raw.draftRevision) ?? 0,
    latestVersion: latestVersion && latestVersion > 0 ? latestVersion : null,
    environments: toEnvironmentPointers(raw.environments),
    updatedAt,
  };
}

function listFrom(payload: unknown): unknown[] {
  if (Array.isArray(payload)) return payload;
  const raw = asRecord(payload);
  for (const field of ['definitions', 'items', 'data']) {
    const value = raw[field];
    if (Array.isArray(value)) return value;
  }
  return [];
}

/** Every definition the key may read, all kinds; pages filter by kind. */
export function useDefinitions() {
  return useQuery({
    queryKey: queryKeys.definitions(),
    queryFn: async () => {
      const payload = await apiRequest<unknown>('/api/definitions');
      return listFrom(payload)
        .map(toDefinitionSummary)
        .filter((d): d is DefinitionSummary => d !== null)
        .sort((a, b) => a.name.localeCompare(b.name));
    },
  });
}
