import type { RoutingDefinition } from '@orderloom/schema';
import { lazy } from 'react';
import type { KindDescriptor } from '../kindDescriptor.ts';
import { fieldForReport } from './routingModel.ts';

/** Routing strategies: factors, constraints, parameters, segments, fallback tiers. */
export const routingKind: KindDescriptor = {
  kind: 'routing',
  label: 'Routing strategies',
  singular: 'Routing strategy',
  blurb: 'Which warehouse and carrier lane fulfil each order, weighed by factors you control.',
  iconPath: 'M4 6h6l4 6h6M4 18h6l4-6M17 9l3 3-3 3',
  skeleton: (id, name): RoutingDefinition => ({
    kind: 'routing',
    id,
    name,
    description: '',
    schemaVersion: 1,
    factors: [{ id: 'cost', type: 'cost', weight: 1, direction: 'lower-better', normalization: 'min-max' }],
    constraints: [{ id: 'stock', type: 'stock' }],
    parameters: [],
    segments: [],
    fallbackTiers: ['own', 'regional', '3pl'],
    split: { policy: 'none', maxParcels: 1 },
  }),
  canvas: {
    label: 'Strategy',
    component: lazy(() => import('./RoutingStrategyEditor.tsx')),
    locate: fieldForReport,
  },
};
