import { useMutation, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../api/apiClient.ts';
import type { DecisionRecord, DecisionSummary, Page, ReplayResponse } from '../operationsTypes.ts';
import { queryString } from '../queryString.ts';
import { operationsKeys } from './operationsKeys.ts';

/** Filter of the decision list. */
export interface DecisionFilter {
  orderId: string;
  strategy: string;
}

/** `GET /api/decisions`: newest first, optionally for one order or strategy. */
export function useDecisions(filter: DecisionFilter, limit = 50) {
  return useQuery({
    queryKey: operationsKeys.decisions({ ...filter, limit }),
    queryFn: ({ signal }) =>
      apiRequest<Page<DecisionSummary>>(`/api/decisions${queryString({ ...filter, limit })}`, { signal }),
  });
}

/** `GET /api/decisions/:id`: the decision with its snapshot and whole ranking. */
export function useDecision(id: string) {
  return useQuery({
    queryKey: operationsKeys.decision(id),
    queryFn: ({ signal }) =>
      apiRequest<DecisionRecord>(`/api/decisions/${encodeURIComponent(id)}`, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** `POST /api/decisions/:id/replay` with the draft or the version that made the decision. */
export function useReplayDecision(id: string) {
  return useMutation({
    mutationFn: (version: number | 'draft' | undefined) =>
      apiRequest<ReplayResponse>(`/api/decisions/${encodeURIComponent(id)}/replay`, {
        method: 'POST',
        body: version === undefined ? {} : { version },
      }),
  });
}
