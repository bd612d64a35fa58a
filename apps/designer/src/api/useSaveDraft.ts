import type { DefinitionKind } from '@orderloom/schema';
import {
  type MutationFilters,
  type QueryClient,
  useIsMutating,
  useMutation,
  useQueryClient,
} from '@tanstack/react-query';
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

const saveDraftKey = ['save-draft'] as const;

/** Matches the draft saves of one definition in the mutation cache. */
function savesOf(kind: DefinitionKind, id: string): MutationFilters {
  return {
    mutationKey: saveDraftKey,
    predicate: (mutation) => {
      const input = mutation.state.variables as SaveDraftInput | undefined;
      return input?.kind === kind && input.id === id;
    },
  };
}

/**
 * Whether a save of this definition's draft is in flight from any component (the editor's autosave, a
 * dialog saving before it acts): a second save on the same base revision would be refused as a conflict.
 */
export function isSavingDraft(queryClient: QueryClient, kind: DefinitionKind, id: string): boolean {
  return queryClient.isMutating(savesOf(kind, id)) > 0;
}

/** {@link isSavingDraft} as a hook that re-renders when it changes. */
export function useIsSavingDraft(kind: DefinitionKind, id: string): boolean {
  return useIsMutating(savesOf(kind, id)) > 0;
}

/** `PUT …/draft`; a stale base revision rejects with a 409 ProblemError and saves nothing. */
export function useSaveDraft() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: saveDraftKey,
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
