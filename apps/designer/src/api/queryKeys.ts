import type { DefinitionKind } from '@orderloom/schema';

/** React Query keys, in one place so invalidation stays consistent. */
export const queryKeys = {
  me: (apiKey: string) => ['me', apiKey] as const,
  definitions: () => ['definitions'] as const,
  definition: (kind: DefinitionKind, id: string) => ['definitions', kind, id] as const,
  version: (kind: DefinitionKind, id: string, version: number) =>
    ['definitions', kind, id, 'versions', version] as const,
  diff: (kind: DefinitionKind, id: string, from: string, to: string) =>
    ['definitions', kind, id, 'diff', from, to] as const,
};
