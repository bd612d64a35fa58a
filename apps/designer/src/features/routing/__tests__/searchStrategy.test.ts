import { describe, expect, it } from 'vitest';
import type { RoutingDraft } from '../routingModel.ts';
import { searchStrategy } from '../searchStrategy.ts';

const draft: RoutingDraft = {
  factors: [
    { id: 'cost', label: 'Shipping cost', type: 'cost', weight: 30 },
    { id: 'eta', label: 'ETA vs promise', type: 'eta', weight: 40 },
  ],
  constraints: [{ id: 'capacity', label: 'Remaining capacity', type: 'capacity' }],
  parameters: [{ name: 'etaToleranceHours', value: 6 }],
  segments: [{ id: 'vip', name: 'VIP customers', when: 'true', weights: {} }],
};

describe('searchStrategy', () => {
  it('finds items of every section by id, label or name, ignoring case', () => {
    expect(searchStrategy(draft, 'ETA')).toEqual([
      { field: 'factors/1', section: 'Factors', name: 'ETA vs promise' },
      { field: 'parameters/0', section: 'Parameters', name: 'etaToleranceHours' },
    ]);
    expect(searchStrategy(draft, 'capac').map((m) => m.field)).toEqual(['constraints/0']);
    expect(searchStrategy(draft, ' customers ').map((m) => m.field)).toEqual(['segments/0']);
    expect(searchStrategy(draft, 'cost').map((m) => m.name)).toEqual(['Shipping cost']);
  });

  it('finds nothing for an empty query or a name that is not there', () => {
    expect(searchStrategy(draft, '')).toEqual([]);
    expect(searchStrategy(draft, 'carbon')).toEqual([]);
    expect(searchStrategy({ factors: [] }, 'eta')).toEqual([]);
  });
});
