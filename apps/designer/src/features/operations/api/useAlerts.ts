import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, describeError } from '../../../api/apiClient.ts';
import { toast } from '../../../store/toastStore.ts';
import type { Alert, Page } from '../operationsTypes.ts';
import { queryString } from '../queryString.ts';
import { operationsKeys } from './operationsKeys.ts';

/** Filter of the alert list; empty strings mean "any". */
export interface AlertFilter {
  state: string;
  level: string;
  type: string;
}

/** `GET /api/alerts`: newest first. */
export function useAlerts(filter: AlertFilter) {
  return useQuery({
    queryKey: operationsKeys.alerts(filter),
    queryFn: ({ signal }) => apiRequest<Page<Alert>>(`/api/alerts${queryString({ ...filter })}`, { signal }),
  });
}

/**
 * `POST /api/alerts/:id/ack`, shown at once in every cached alert list (optimistic), rolled back on
 * failure, and reconciled with the runtime afterwards (alerts and the orders that show them).
 */
export function useAckAlert() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiRequest<Alert>(`/api/alerts/${id}/ack`, { method: 'POST' }),
    onMutate: async (id) => {
      await queryClient.cancelQueries({ queryKey: operationsKeys.alertsAll() });
      const previous = queryClient.getQueriesData<Page<Alert>>({ queryKey: operationsKeys.alertsAll() });
      const ackedAt = new Date().toISOString();
      for (const [key, page] of previous) {
        if (!page) continue;
        queryClient.setQueryData<Page<Alert>>(key, {
          ...page,
          items: page.items.map((a) => (a.id === id ? { ...a, state: 'acked', ackedAt } : a)),
        });
      }
      return { previous };
    },
    onError: (error, id, context) => {
      for (const [key, page] of context?.previous ?? []) queryClient.setQueryData(key, page);
      toast.error(`Could not acknowledge alert ${id}`, describeError(error));
    },
    onSuccess: (alert) => toast.success(`Alert ${alert.id} acknowledged`),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: operationsKeys.alertsAll() });
      void queryClient.invalidateQueries({ queryKey: ['orders'] });
    },
  });
}
