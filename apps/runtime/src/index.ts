export type {
  ApiKey,
  ApiKeyRole,
  DefinitionDetail,
  DefinitionSummary,
  Environment,
  EnvironmentPointers,
  Publication,
  VersionInfo,
  VersionRecord,
} from './apiSchemas.ts';
export { apiKeyRoles, environments } from './apiSchemas.ts';
export type { Config } from './config.ts';
export { loadConfig } from './config.ts';
export { migrate } from './db/migrate.ts';
export type { Db } from './db/openDatabase.ts';
export { openDatabase } from './db/openDatabase.ts';
export type { DefinitionResolver, ResolvedDefinition } from './definitionResolver.ts';
export { createDefinitionResolver } from './definitionResolver.ts';
export type { AppDeps } from './http/createApp.ts';
export { createApp } from './http/createApp.ts';
export type { RuntimeHandle } from './startRuntime.ts';
export { startRuntime } from './startRuntime.ts';
