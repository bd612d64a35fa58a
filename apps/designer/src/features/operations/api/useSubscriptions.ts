import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, describeError } from '../../../api/apiClient.ts';
import { toast } from '../../../store/toastStore.ts';
import type { Delivery, Page, Subscription } from '../operationsTypes.ts';
import { queryString } from '../queryString.ts';
import { operationsKeys } from './operationsKeys.ts';

/** `GET /api/subscriptions`. */
export function useSubscriptions() {
  return useQuery({
    queryKey: operationsKeys.subscriptions(),
    queryFn: ({ signal }) => apiRequest<{ items: Subscription[] }>('/api/subscriptions', { signal }),
  });
}

/** `GET /api/subscriptions/:id/deliveries`, newest first; refreshed while deliveries are pending. */
export function useDeliveries(subscriptionId: string, state: string) {
  return useQuery({
    queryKey: operationsKeys.deliveries(subscriptionId, state),
    queryFn: ({ signal }) =>
      apiRequest<Page<Delivery>>(
        `/api/subscriptions/${encodeURIComponent(subscriptionId)}/deliveries${queryString({ state })}`,
        { signal },
      ),
    refetchInterval: (query) => (query.state.data?.items.some((d) => d.state === 'pending') ? 3_000 : false),
  });
}

/** `POST /api/deliveries/:id/redeliver`. */
export function useRedeliver(subscriptionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest<Delivery>(`/api/deliveries/${encodeURIComponent(id)}/redeliver`, { method: 'POST' }),
    onSuccess: (delivery) =>
      toast.success('Redelivery queued', `Delivery ${delivery.id} will be sent again.`),
    onError: (error) => toast.error('Could not redeliver', describeError(error)),
    onSettled: () =>
      queryClient.invalidateQueries({ queryKey: [...operationsKeys.subscriptions(), subscriptionId] }),
  });
}
