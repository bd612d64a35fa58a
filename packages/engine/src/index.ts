export type { Clock } from './clock.ts';
export { fixedClock } from './clock.ts';
export type { CelContext, CelErrorPhase, CompileCelOptions, CompiledCel } from './compileCel.ts';
export { CelError, compileCel } from './compileCel.ts';
export type { CompiledRouting } from './compileRouting.ts';
export { compileRouting, RoutingDefinitionError } from './compileRouting.ts';
export type { FactorRecordBuilder } from './FactorTable.ts';
export { FactorTable } from './FactorTable.ts';
export type { IndexedAlert, IndexedFacts, RegionIndex, RoutingFacts } from './indexFacts.ts';
export { indexFacts, isIndexedFacts } from './indexFacts.ts';
export { rankingWithFactors } from './rankingWithFactors.ts';
export {
  builtInParameterDefaults,
  customerPriority,
  customerTierPriority,
  defaultCustomerPriority,
  laneCarbon,
  laneCost,
  laneServiceLevel,
  minimumReliability,
  warehouseTierAffinity,
} from './routing/builtInFactors.ts';
export type {
  AllocationEntry,
  CandidateRef,
  ExplanationDetail,
  FactorValue,
  OrderLine,
  RankedCandidate,
  RankedCandidateWithFactors,
  RoutingDecision,
  RoutingFactsSnapshot,
  RoutingSnapshot,
  UnroutableReason,
  WarehouseTier,
} from './routingDecision.ts';
export type {
  CompiledFactSetter,
  CompiledStatusGraph,
  CompiledSystemStatus,
  CompiledTransition,
} from './statusGraph/compileStatusGraph.ts';
export { compileStatusGraph, StatusGraphDefinitionError } from './statusGraph/compileStatusGraph.ts';
export type {
  AlertEffect,
  AlertLevel,
  DeliveryEffect,
  EventCause,
  PathViolationAlert,
  SlaAlert,
  SlaTimer,
  StatusChange,
  StatusChangedPayload,
} from './statusGraph/effects.ts';
export type { FireSlaTimerResult } from './statusGraph/fireSlaTimer.ts';
export { fireSlaTimer } from './statusGraph/fireSlaTimer.ts';
export type { Facts, FactValue, NewOrder, OrderState, RawStatus } from './statusGraph/orderState.ts';
export type { TransitionRejection, TransitionResult } from './statusGraph/transition.ts';
export { transition } from './statusGraph/transition.ts';
