import type { DefinitionKind } from '@orderloom/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './apiClient.ts';
import { queryKeys } from './queryKeys.ts';
import type { EnvironmentName } from './types.ts';
import { definitionPath } from './useDefinition.ts';

export interface SetEnvironmentInput {
  kind: DefinitionKind;
  id: string;
  env: EnvironmentName;
  version: number;
}

/** `PUT …/environments/:env` (admin): publish, promote and roll back are all this one call. */
export function useSetEnvironment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, id, env, version }: SetEnvironmentInput) =>
      apiRequest<unknown>(`${definitionPath(kind, id)}/environments/${env}`, {
        method: 'PUT',
        body: { version },
      }),
    onSettled: (_data, _error, { kind, id }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.definition(kind, id), exact: true });
      void queryClient.invalidateQueries({ queryKey: queryKeys.definitions(), exact: true });
    },
  });
}
