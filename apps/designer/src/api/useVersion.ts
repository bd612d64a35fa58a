import type { DefinitionKind } from '@orderloom/schema';
import { useQuery } from '@tanstack/react-query';
import { apiRequest } from './apiClient.ts';
import { queryKeys } from './queryKeys.ts';
import type { VersionDetail } from './types.ts';
import { definitionPath } from './useDefinition.ts';

/** Accepts `{ definition, … }` or a bare definition body. */
function toVersionDetail(payload: unknown): VersionDetail {
  if (typeof payload === 'object' && payload !== null && 'definition' in payload)
    return payload as VersionDetail;
  return { definition: payload };
}

/** One immutable version; `version: null` means "no version" (an environment never published). */
export function useVersion(kind: DefinitionKind, id: string, version: number | null) {
  return useQuery({
    queryKey: queryKeys.version(kind, id, version ?? 0),
    queryFn: async () =>
      toVersionDetail(await apiRequest<unknown>(`${definitionPath(kind, id)}/versions/${version}`)),
    enabled: version !== null && version > 0,
    // Versions are immutable.
    staleTime: Number.POSITIVE_INFINITY,
  });
}
