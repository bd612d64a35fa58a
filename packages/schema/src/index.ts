export { celSchema, dateTimeSchema, definitionBase, idSchema, positionSchema } from './common.ts';
export type { Definition, DefinitionKind } from './definition.ts';
export { definitionKindSchema, definitionKinds, definitionSchema, definitionSchemas } from './definition.ts';
export type { JourneyDefinition, JourneyStep } from './journeyDefinition.ts';
export { journeyDefinitionSchema, journeyStepSchema } from './journeyDefinition.ts';
export type { PlaybookDefinition } from './playbookDefinition.ts';
export { playbookDefinitionSchema, riskTypes } from './playbookDefinition.ts';
export type { Report } from './report.ts';
export { reportSchema } from './report.ts';
export type { Constraint, Factor, Parameter, RoutingDefinition, Segment } from './routingDefinition.ts';
export { factorTypes, routingDefinitionSchema, warehouseTiers } from './routingDefinition.ts';
export type {
  CanonicalState,
  Sla,
  SourceSystem,
  StatusGraphDefinition,
  SystemStatus,
  Transition,
} from './statusGraphDefinition.ts';
export { statusGraphDefinitionSchema } from './statusGraphDefinition.ts';
export type { AlertFact, LaneFact, Order, WarehouseFact } from './facts.ts';
export { alertFactSchema, laneFactSchema, orderSchema, warehouseFactSchema } from './facts.ts';
