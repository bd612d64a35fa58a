import type { JourneyDefinition } from '@orderloom/schema';
import type { KindDescriptor } from '../kindDescriptor.ts';

/** Journeys: event → condition → wait → actions. */
export const journeyKind: KindDescriptor = {
  kind: 'journey',
  label: 'Journeys',
  singular: 'Journey',
  blurb: 'React to experience events by tagging orders, briefing service and compensating customers.',
  iconPath: 'M4 12h4l2-5 4 10 2-5h4',
  skeleton: (id, name): JourneyDefinition => ({
    kind: 'journey',
    id,
    name,
    description: '',
    schemaVersion: 1,
    trigger: { system: 'wms', code: 'PICK_TIMEOUT' },
    steps: [{ id: 'tag', type: 'action', action: 'tag-order', params: { tag: 'needs-attention' } }],
  }),
};
