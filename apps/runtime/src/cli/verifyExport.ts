import { readFileSync } from 'node:fs';
import { parseEd25519PublicKey } from '../status/ed25519Keys.ts';
import type { Checkpoint } from '../status/statusApiSchemas.ts';
import { checkpointSchema } from '../status/statusApiSchemas.ts';
import { createLogVerifier, type LogRow } from '../verifyLog.ts';

/**
 * Verifies an audit log exported by `GET /api/audit/export`, offline:
 *
 *   pnpm --filter @orderloom/runtime exec tsx src/cli/verifyExport.ts <export.ndjson> [--public-key <pem file>]
 *
 * Pass `--public-key` with the runtime's public key obtained separately (e.g. from
 * `GET /api/audit/checkpoints`) to not trust the key inside the export. Prints the verdict as JSON;
 * exit code 0 when the log verifies, 1 when it does not, 2 on usage errors.
 */
function main(argv: readonly string[]): number {
  const args = [...argv];
  const keyFlag = args.indexOf('--public-key');
  let pinnedKey: string | undefined;
  if (keyFlag >= 0) {
    pinnedKey = args[keyFlag + 1];
    args.splice(keyFlag, 2);
  }
  const [file] = args;
  if (!file || args.length !== 1 || (keyFlag >= 0 && !pinnedKey)) {
    process.stderr.write('usage: verifyExport.ts <export.ndjson> [--public-key <pem file>]\n');
    return 2;
  }
  const rows: LogRow[] = [];
  const checkpoints: Checkpoint[] = [];
  let exportedKey: string | undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return verdict({ ok: false, reason: `line ${index + 1} is not JSON` });
    }
    if (record.type === 'runtime-key' && typeof record.publicKey === 'string') exportedKey = record.publicKey;
    else if (record.type === 'entry') {
      rows.push({
        seq: Number(record.seq),
        orderId: String(record.orderId),
        entry: String(record.entry),
        hash: String(record.hash),
      });
    } else if (record.type === 'checkpoint') {
      const parsed = checkpointSchema.safeParse(record);
      if (!parsed.success)
        return verdict({ ok: false, reason: `line ${index + 1} is not a valid checkpoint` });
      checkpoints.push(parsed.data);
    } else {
      return verdict({ ok: false, reason: `line ${index + 1} has an unknown record type` });
    }
  }
  const keyText = pinnedKey ? readFileSync(pinnedKey, 'utf8') : exportedKey;
  if (!keyText) return verdict({ ok: false, reason: 'the export names no runtime key; pass --public-key' });
  let key: ReturnType<typeof parseEd25519PublicKey>;
  try {
    key = parseEd25519PublicKey(keyText);
  } catch (err) {
    return verdict({ ok: false, reason: `runtime key: ${err instanceof Error ? err.message : String(err)}` });
  }
  const verifier = createLogVerifier(key.key, key.fingerprint, checkpoints);
  for (const row of rows) if (!verifier.add(row)) break;
  const result = verifier.finish();
  return verdict({ ...result, keyId: key.fingerprint, keySource: pinnedKey ? 'pinned' : 'export' });
}

function verdict(result: { ok: boolean } & Record<string, unknown>): number {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return result.ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
