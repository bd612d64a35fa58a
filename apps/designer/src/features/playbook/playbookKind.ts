import type { PlaybookDefinition } from '@orderloom/schema';
import type { KindDescriptor } from '../kindDescriptor.ts';

/** Risk playbooks: exposure, scoring and disposals for one disturbance type. */
export const playbookKind: KindDescriptor = {
  kind: 'playbook',
  label: 'Risk playbooks',
  singular: 'Risk playbook',
  blurb: 'Turn a risk event into a ranked list of threatened orders with one-click disposals.',
  iconPath: 'M12 3l8 4v5c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V7l8-4zM12 8v5M12 16v.5',
  skeleton: (id, name): PlaybookDefinition => ({
    kind: 'playbook',
    id,
    name,
    description: '',
    schemaVersion: 1,
    riskType: 'weather',
    sources: [{ id: 'manual', name: 'Manual report', type: 'manual' }],
    exposure: 'true',
    scoring: {
      factors: [{ id: 'delay', label: 'Expected delay', expression: '1.0', weight: 1 }],
      highRiskAbove: 0.7,
    },
    disposals: [{ id: 'notify', label: 'Notify customer', action: 'notify-customer', params: {} }],
  }),
};
