import type { DefinitionKind } from '@orderloom/schema';
import { useQuery } from '@tanstack/react-query';
import { apiRequest } from './apiClient.ts';
import { queryKeys } from './queryKeys.ts';
import type { DefinitionDetail, VersionInfo } from './types.ts';
import { toEnvironmentPointers } from './useDefinitions.ts';

/** Path of a definition's resource. */
export function definitionPath(kind: DefinitionKind, id: string): string {
  return `/api/definitions/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`;
}

/** One definition with its draft, versions and environment pointers. */
export function useDefinition(kind: DefinitionKind, id: string) {
  return useQuery({
    queryKey: queryKeys.definition(kind, id),
    queryFn: async (): Promise<DefinitionDetail> => {
      const detail = await apiRequest<DefinitionDetail>(definitionPath(kind, id));
      const versions: VersionInfo[] = [...(detail.versions ?? [])].sort((a, b) => b.version - a.version);
      return { ...detail, versions, environments: toEnvironmentPointers(detail.environments) };
    },
  });
}
