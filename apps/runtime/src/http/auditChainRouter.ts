import { Router } from 'express';
import type { StatusService } from '../status/createStatusService.ts';
import { checkpointsQuerySchema } from '../status/statusApiSchemas.ts';
import { requireRole } from './auth.ts';
import { parseRequest } from './problem.ts';

/**
 * Routes of the tamper-evident log: `/api/audit/checkpoints`, `/api/audit/verify` and
 * `/api/audit/export` (NDJSON for the offline verifier). Mount after `authenticate`.
 */
export function auditChainRouter({ status }: { status: StatusService }): Router {
  const router = Router();
  const { history, signingKey } = status;

  router.get('/audit/checkpoints', (req, res) => {
    const { limit, cursor } = parseRequest(checkpointsQuerySchema, req.query, 'query');
    const rows = history.listCheckpoints({ ...(cursor ? { before: Number(cursor) } : {}), limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    res.json({
      items,
      publicKey: signingKey.publicKeyPem,
      keyId: signingKey.keyId,
      nextCursor: rows.length > limit && last ? String(last.id) : null,
    });
  });

  router.post('/audit/checkpoints', requireRole('admin'), (_req, res) => {
    const created = status.checkpointer.checkpoint();
    if (created) res.status(201).json(created);
    else res.status(200).json(history.lastCheckpoint() ?? null);
  });

  router.get('/audit/verify', (_req, res) => {
    res.json(status.verify());
  });

  router.get('/audit/export', requireRole('admin', 'analyst'), (_req, res) => {
    res.type('application/x-ndjson');
    res.setHeader('Content-Disposition', 'attachment; filename="orderloom-audit-log.ndjson"');
    const lines: string[] = [];
    lines.push(
      JSON.stringify({ type: 'runtime-key', keyId: signingKey.keyId, publicKey: signingKey.publicKeyPem }),
    );
    for (const row of history.iterate()) {
      lines.push(
        JSON.stringify({
          type: 'entry',
          seq: row.seq,
          orderId: row.order_id,
          hash: row.hash,
          entry: row.entry,
        }),
      );
    }
    for (const c of history.allCheckpoints()) lines.push(JSON.stringify({ type: 'checkpoint', ...c }));
    res.send(`${lines.join('\n')}\n`);
  });

  return router;
}
