import type { StatusGraphDefinition } from '@orderloom/schema';
import { lazy } from 'react';
import type { KindDescriptor } from '../kindDescriptor.ts';
import { elementForReport } from './statusGraphModel.ts';

/** Status graphs: canonical states, system dictionaries, guarded transitions, SLAs. */
export const statusGraphKind: KindDescriptor = {
  kind: 'status-graph',
  label: 'Status graphs',
  singular: 'Status graph',
  blurb: 'One canonical order status derived from every system, with guards, SLAs and alerts.',
  iconPath:
    'M6 6m-2 0a2 2 0 1 0 4 0a2 2 0 1 0-4 0M18 6m-2 0a2 2 0 1 0 4 0a2 2 0 1 0-4 0M12 18m-2 0a2 2 0 1 0 4 0a2 2 0 1 0-4 0M8 6h8M7 8l4 8M17 8l-4 8',
  skeleton: (id, name): StatusGraphDefinition => ({
    kind: 'status-graph',
    id,
    name,
    description: '',
    schemaVersion: 1,
    channels: [],
    states: [
      {
        id: 'created',
        labels: { en: 'Created' },
        definition: '',
        steward: '',
        initial: true,
        terminal: false,
        position: { x: 0, y: 0 },
      },
      {
        id: 'completed',
        labels: { en: 'Completed' },
        definition: '',
        steward: '',
        initial: false,
        terminal: true,
        position: { x: 320, y: 0 },
      },
    ],
    systems: [],
    transitions: [{ id: 'complete', from: 'created', to: 'completed', guard: 'true' }],
    slas: [],
  }),
  canvas: {
    component: lazy(() => import('./StatusGraphCanvas.tsx')),
    locate: elementForReport,
  },
};
