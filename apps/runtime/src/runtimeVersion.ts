import { readFileSync } from 'node:fs';

/** The runtime's version, from its package.json (reported by `/health` and the OpenAPI document). */
export const runtimeVersion: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
