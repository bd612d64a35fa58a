import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Definition } from '@orderloom/schema';
import { afterAll } from 'vitest';
import { loadConfig } from '../config.ts';
import { type RuntimeHandle, startRuntime } from '../startRuntime.ts';

/** The admin secret test runtimes are bootstrapped with unless a test says otherwise. */
export const adminSecret = 'test-admin-secret-0123456789';

const createdDirs: string[] = [];
// Registered before the importing file's own hooks, so it runs after they have closed their runtimes.
afterAll(() => {
  for (const dir of createdDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh data directory under the OS temp dir, removed after the test file. */
export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orderloom-runtime-'));
  createdDirs.push(dir);
  return dir;
}

/** A started runtime on a free port, with a client bound to its URL. */
export interface TestRuntime {
  runtime: RuntimeHandle;
  dataDir: string;
  printed: string[];
  api: (method: string, path: string, options?: CallOptions) => Promise<ApiResponse>;
  close: () => Promise<void>;
}

export interface CallOptions {
  /** API key secret; `null` sends no Authorization header. Defaults to {@link adminSecret}. */
  key?: string | null;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent verbatim (with `headers`), for malformed or non-JSON bodies. */
  body?: string;
  headers?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  contentType: string;
  /** Parsed JSON when the response is JSON, else the text. */
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary response fields
  body: any;
  text: string;
}

/**
 * Starts a runtime as `main.ts` does, on port 0 against `<dataDir>/orderloom.db`. Demo seeding is off
 * unless `demoDefinitions` is passed; the designer dir defaults to a directory that does not exist.
 */
export async function startTestRuntime(
  options: {
    dataDir?: string;
    env?: Record<string, string>;
    demoDefinitions?: readonly Definition[];
    /** The runtime's clock (a fake one for SLA tests). */
    clock?: { now(): number };
    /** Load the china-peak facts (and demo decisions, if the demo strategy is seeded); default false. */
    demoFacts?: boolean;
  } = {},
): Promise<TestRuntime> {
  const dataDir = options.dataDir ?? tempDataDir();
  const config = loadConfig({
    PORT: '0',
    ORDERLOOM_DATA_DIR: dataDir,
    ORDERLOOM_ADMIN_KEY: adminSecret,
    ORDERLOOM_DESIGNER_DIR: join(dataDir, 'no-designer-build'),
    LOG_LEVEL: 'silent',
    // Test runtimes run in parallel: none of them takes port 1883 unless a test asks for a broker.
    ORDERLOOM_MQTT_EMBEDDED: 'false',
    ...options.env,
  });
  const printed: string[] = [];
  const runtime = await startRuntime(config, {
    host: '127.0.0.1',
    print: (line) => printed.push(line),
    demoDefinitions: options.demoDefinitions ?? [],
    ...(options.clock ? { clock: options.clock } : {}),
    demoFacts: options.demoFacts ?? false,
  });
  const api = (method: string, path: string, call: CallOptions = {}) =>
    request(runtime.url, method, path, call);
  return { runtime, dataDir, printed, api, close: () => runtime.close() };
}

/** One HTTP call with the global fetch. */
export async function request(
  baseUrl: string,
  method: string,
  path: string,
  call: CallOptions = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...call.headers };
  const key = call.key === undefined ? adminSecret : call.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  let body: string | undefined = call.body;
  if (call.json !== undefined) {
    body = JSON.stringify(call.json);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    headers: res.headers,
    contentType,
    body: /json/.test(contentType) && text !== '' ? JSON.parse(text) : text,
    text,
  };
}
