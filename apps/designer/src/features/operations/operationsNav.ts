import { lazy } from 'react';

/** A view of the Operations navigation group. */
export interface OperationsSection {
  segment: 'decisions' | 'orders' | 'alerts' | 'subscriptions';
  label: string;
  /** 24×24 stroke path. */
  iconPath: string;
}

/** The Operations views, in navigation order. Kept apart from the views so the shell stays small. */
export const operationsSections: readonly OperationsSection[] = [
  { segment: 'decisions', label: 'Decisions', iconPath: 'M6 3v6a6 6 0 0 0 6 6h6M15 12l3 3-3 3M6 21v-6' },
  { segment: 'orders', label: 'Orders', iconPath: 'M4 7l8-4 8 4v10l-8 4-8-4zM4 7l8 4 8-4M12 11v10' },
  { segment: 'alerts', label: 'Alerts', iconPath: 'M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 21h4' },
  {
    segment: 'subscriptions',
    label: 'Subscriptions',
    iconPath: 'M5 12a7 7 0 0 1 7-7M5 12a7 7 0 0 0 7 7M9 12a3 3 0 0 1 3-3M19 12h-6M16 9l3 3-3 3',
  },
];

/** True when a first path segment belongs to the operations views. */
export function isOperationsSegment(segment: string | undefined): boolean {
  return operationsSections.some((s) => s.segment === segment);
}

/** The operations views, loaded on first visit. */
export const LazyOperationsRoutes = lazy(() => import('./OperationsRoutes.tsx'));
