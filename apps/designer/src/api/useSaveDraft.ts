import type { DefinitionKind } from '@orderloom/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './apiClient.ts';
import { queryKeys } from './queryKeys.ts';
import type { SaveDraftResult } from './types.ts';
import { definitionPath } from './useDefinition.ts';

export interface SaveDraftInput {
  kind: DefinitionKind;
  id: string;
  definition: unknown;
  /** The revision the edit started from; 0 creates a new definition. */
  baseRevision: number;
}

/** `PUT …/draft`; a stale base revision rejects with a 409 ProblemError and saves nothing. */
export function useSaveDraft() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, id, definition, baseRevision }: SaveDraftInput) =>
      apiRequest<SaveDraftResult>(`${definitionPath(kind, id)}/draft`, {
        method: 'PUT',
        body: { definition, baseRevision },
      }),
    onSettled: (_data, _error, { kind, id }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.definition(kind, id), exact: true });
      void queryClient.invalidateQueries({ queryKey: queryKeys.definitions(), exact: true });
    },
  });
}
