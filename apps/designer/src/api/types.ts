import type { DefinitionKind, Report } from '@orderloom/schema';

/** Roles an API key can have; only admins create versions and move environments. */
export type Role = 'admin' | 'analyst' | 'service';

/** The environments a definition can be published to. */
export type EnvironmentName = 'sandbox' | 'production';

/** Who the current API key belongs to (`GET /api/me`). */
export interface Me {
  id: string;
  name: string;
  role: Role;
}

/** Which version each environment points at; `null` when never published there. */
export interface EnvironmentPointers {
  sandbox: number | null;
  production: number | null;
}

/** One immutable version of a definition. */
export interface VersionInfo {
  version: number;
  createdAt: string;
  createdBy: string;
  note: string;
}

/** `GET /api/definitions/:kind/:id`. */
export interface DefinitionDetail {
  id: string;
  kind: DefinitionKind;
  draft: unknown;
  draftRevision: number;
  versions: VersionInfo[];
  environments: EnvironmentPointers;
}

/** One row of `GET /api/definitions`, normalised by {@link toDefinitionSummary}. */
export interface DefinitionSummary {
  id: string;
  kind: DefinitionKind;
  name: string;
  draftRevision: number;
  latestVersion: number | null;
  environments: EnvironmentPointers;
  updatedAt: string | null;
}

/** `GET /api/definitions/:kind/:id/versions/:n`, normalised to the definition plus its metadata. */
export interface VersionDetail extends Partial<VersionInfo> {
  definition: unknown;
}

/** One RFC 6902 operation, as returned by the diff endpoint. */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

/** `PUT …/draft` response. */
export interface SaveDraftResult {
  draftRevision: number;
  reports: Report[];
}

/** RFC 9457 problem details as the runtime sends them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: Report[];
}
