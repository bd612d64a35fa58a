import { create } from 'zustand';
import type { AlertFilter } from './api/useAlerts.ts';
import type { OrderFilter } from './api/useOrders.ts';

/** Filters of the operations views, kept while the user moves between views. */
export interface OperationsState {
  decisionOrderId: string;
  orderFilter: OrderFilter;
  alertFilter: AlertFilter;
  setDecisionOrderId: (orderId: string) => void;
  setOrderFilter: (patch: Partial<OrderFilter>) => void;
  setAlertFilter: (patch: Partial<AlertFilter>) => void;
}

/** Operations slice. */
export const useOperationsStore = create<OperationsState>()((set) => ({
  decisionOrderId: '',
  orderFilter: { status: '', channel: '', alert: '' },
  alertFilter: { state: 'open', level: '', type: '' },
  setDecisionOrderId: (decisionOrderId) => set({ decisionOrderId }),
  setOrderFilter: (patch) => set((s) => ({ orderFilter: { ...s.orderFilter, ...patch } })),
  setAlertFilter: (patch) => set((s) => ({ alertFilter: { ...s.alertFilter, ...patch } })),
}));
