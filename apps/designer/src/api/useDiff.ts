import type { DefinitionKind } from '@orderloom/schema';
import { useQuery } from '@tanstack/react-query';
import { apiRequest } from './apiClient.ts';
import { queryKeys } from './queryKeys.ts';
import type { PatchOperation } from './types.ts';
import { definitionPath } from './useDefinition.ts';

/** A version number, or `'draft'`. */
export type DiffSide = number | 'draft';

/** RFC 6902 patch turning `from` into `to`, computed by the runtime. */
export function useDiff(kind: DefinitionKind, id: string, from: DiffSide | null, to: DiffSide | null) {
  const fromKey = String(from);
  const toKey = String(to);
  return useQuery({
    queryKey: queryKeys.diff(kind, id, fromKey, toKey),
    queryFn: async () => {
      const payload = await apiRequest<unknown>(
        `${definitionPath(kind, id)}/diff?from=${encodeURIComponent(fromKey)}&to=${encodeURIComponent(toKey)}`,
      );
      if (Array.isArray(payload)) return payload as PatchOperation[];
      const patch = (payload as { patch?: unknown } | null)?.patch;
      return Array.isArray(patch) ? (patch as PatchOperation[]) : [];
    },
    enabled: from !== null && to !== null && from !== to,
    staleTime: from === 'draft' || to === 'draft' ? 0 : Number.POSITIVE_INFINITY,
  });
}
