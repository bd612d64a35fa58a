export type { CelCheck } from './checkCel.ts';
export { checkCel } from './checkCel.ts';
export { celSchema, dateTimeSchema, definitionBase, idSchema, positionSchema } from './common.ts';
export type { Definition, DefinitionKind } from './definition.ts';
export { definitionKindSchema, definitionKinds, definitionSchema, definitionSchemas } from './definition.ts';
export { factPathCovers, factPathsRead } from './factPathsRead.ts';
export type { AlertFact, LaneFact, Order, WarehouseFact } from './facts.ts';
export { alertFactSchema, laneFactSchema, orderSchema, warehouseFactSchema } from './facts.ts';
export type { JourneyDefinition, JourneyStep } from './journeyDefinition.ts';
export { journeyDefinitionSchema, journeyStepSchema } from './journeyDefinition.ts';
export { jsonPointer } from './jsonPointer.ts';
export type { JsonSchema, OpenApiComponentName } from './jsonSchema.ts';
export { definitionJsonSchema, openApiComponents } from './jsonSchema.ts';
export { journeyRules, lintJourney } from './lintJourney.ts';
export { lintPlaybook, playbookRules } from './lintPlaybook.ts';
export { lintRouting, routingRules } from './lintRouting.ts';
export type { LintRule } from './lintRule.ts';
export { lintStatusGraph, statusGraphRules } from './lintStatusGraph.ts';
export type { PlaybookDefinition } from './playbookDefinition.ts';
export { playbookDefinitionSchema, riskTypes } from './playbookDefinition.ts';
export type { Problem } from './problem.ts';
export { problemSchema } from './problem.ts';
export type { Report } from './report.ts';
export { reportSchema } from './report.ts';
export type { Constraint, Factor, Parameter, RoutingDefinition, Segment } from './routingDefinition.ts';
export { factorTypes, routingDefinitionSchema, warehouseTiers } from './routingDefinition.ts';
export type { StatusEvent } from './statusEvent.ts';
export { statusEventSchema } from './statusEvent.ts';
export type {
  CanonicalState,
  Sla,
  SourceSystem,
  StatusGraphDefinition,
  SystemDictionary,
  SystemStatus,
  Transition,
} from './statusGraphDefinition.ts';
export {
  sourceSystemSchema,
  statusGraphDefinitionSchema,
  systemDictionarySchema,
  transitionSchema,
} from './statusGraphDefinition.ts';
export { validate } from './validate.ts';
