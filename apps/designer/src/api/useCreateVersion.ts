import type { DefinitionKind } from '@orderloom/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './apiClient.ts';
import { queryKeys } from './queryKeys.ts';
import type { VersionInfo } from './types.ts';
import { definitionPath } from './useDefinition.ts';

export interface CreateVersionInput {
  kind: DefinitionKind;
  id: string;
  note: string;
}

/** `POST …/versions` (admin): freezes the saved draft; lint errors reject with 422 and their reports. */
export function useCreateVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, id, note }: CreateVersionInput) =>
      apiRequest<Partial<VersionInfo>>(`${definitionPath(kind, id)}/versions`, {
        method: 'POST',
        body: { note },
      }),
    onSuccess: (_data, { kind, id }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.definition(kind, id), exact: true });
      void queryClient.invalidateQueries({ queryKey: queryKeys.definitions(), exact: true });
    },
  });
}
