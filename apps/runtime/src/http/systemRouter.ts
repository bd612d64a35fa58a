import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';
import type { Db } from '../db/openDatabase.ts';
import type { HttpMetrics } from './httpMetrics.ts';
import { buildOpenApiDocument } from './openApiDocument.ts';

const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const docsPage = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Orderloom API reference</title>
    <link rel="stylesheet" href="/api/docs/swagger-ui.css">
    <link rel="icon" href="/api/docs/favicon-32x32.png" sizes="32x32">
    <style>body { margin: 0; }</style>
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/docs/swagger-ui-bundle.js"></script>
    <script src="/api/docs/swagger-initializer.js"></script>
  </body>
</html>
`;

const docsInitializer = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
  });
};
`;

/**
 * Public routes (no API key): `/health`, `/metrics`, `/api/openapi.json` and the offline API
 * reference at `/api/docs` (swagger-ui-dist's files served from node_modules, no CDN).
 */
export function systemRouter({
  db,
  metrics,
  version,
}: {
  db: Db;
  metrics: HttpMetrics;
  version: string;
}): Router {
  const router = Router();
  const ping = db.prepare('SELECT 1').pluck();
  const openApi = JSON.stringify(buildOpenApiDocument(version));

  router.get('/health', (req, res) => {
    let dbStatus: 'ok' | 'error' = 'ok';
    try {
      if (ping.get() !== 1) dbStatus = 'error';
    } catch (err) {
      req.log.error({ err }, 'health check: database failed');
      dbStatus = 'error';
    }
    res
      .status(dbStatus === 'ok' ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: dbStatus, db: dbStatus, version });
  });

  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  router.get('/api/openapi.json', (_req, res) => {
    res.type('application/json').send(openApi);
  });

  router.get(['/api/docs', '/api/docs/', '/api/docs/index.html'], (_req, res) => {
    res.type('html').send(docsPage);
  });
  router.get('/api/docs/swagger-initializer.js', (_req, res) => {
    res.type('text/javascript').send(docsInitializer);
  });
  router.use('/api/docs', express.static(swaggerUiDir, { index: false, maxAge: '1h', fallthrough: true }));

  return router;
}
