import type { CompiledStatusGraph } from '@orderloom/engine';
import type { SimulationStepInput } from './simulateStatusGraph.ts';

/** A ready-made script for the simulator. */
export interface SimulatorScenario {
  id: string;
  label: string;
  /** What the scenario shows, in one sentence. */
  description: string;
  steps: SimulationStepInput[];
}

/**
 * Scenarios written for the demo status graph (`china-peak-orders`); every code they use exists in its
 * dictionaries. On another graph {@link missingCodes} says which codes it lacks.
 */
export const simulatorScenarios: readonly SimulatorScenario[] = [
  {
    id: 'three-condition-shipped',
    label: 'Three-condition shipped',
    description:
      'Paid on Douyin, accepted and packed by the warehouse; then the three pieces of evidence "shipped" ' +
      'needs arrive one by one: the WMS outbound number, the carrier e-waybill and finance confirming the funds.',
    steps: [
      { kind: 'event', system: 'douyin', code: 'PAID', channel: 'douyin' },
      { kind: 'event', system: 'wms', code: 'RECEIVED' },
      { kind: 'event', system: 'wms', code: 'PACKING' },
      { kind: 'event', system: 'wms', code: 'OUTBOUND_DONE', data: { outboundNo: 'OB-20261111-0001' } },
      { kind: 'event', system: 'carrier', code: 'WAYBILL_CREATED', data: { waybillNo: 'SF1402234567' } },
      { kind: 'event', system: 'finance', code: 'RECEIVED' },
    ],
  },
  {
    id: 'douyin-sla',
    label: 'Douyin 15-min sync SLA',
    description:
      'Paid on Douyin and not taken over by the brand OMS: warning at 12 min (80 %), breach at 15 min ' +
      '(the 0.3 % commission), escalation at 30 min (200 %); the late CRM push then ends the stay.',
    steps: [
      { kind: 'event', system: 'douyin', code: 'PAID', channel: 'douyin' },
      { kind: 'next-deadline' },
      { kind: 'next-deadline' },
      { kind: 'next-deadline' },
      { kind: 'event', system: 'crm', code: 'PUSHED' },
    ],
  },
];

/** `system CODE` of every event of the scenario that the graph's dictionaries do not have. */
export function missingCodes(graph: CompiledStatusGraph, scenario: SimulatorScenario): string[] {
  const missing = scenario.steps.flatMap((step) =>
    step.kind === 'event' && !graph.systems.get(step.system)?.has(step.code)
      ? [`${step.system} ${step.code}`]
      : [],
  );
  return [...new Set(missing)];
}
