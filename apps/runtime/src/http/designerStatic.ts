import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import express, { Router } from 'express';

const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f4e79"/><path d="M8 10h16M8 16h16M8 22h16M12 6v20M20 6v20" stroke="#fff" stroke-width="2.5" stroke-linecap="round"/></svg>`;

const notBuiltPage = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Orderloom</title>
    <link rel="icon" type="image/svg+xml" href="/favicon.svg">
  </head>
  <body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
    <h1>Orderloom runtime is running</h1>
    <p>The designer has not been built yet. Build it with</p>
    <pre>npm start</pre>
    <p>from the repository root (or <code>pnpm --filter @orderloom/designer build</code>), or point
    <code>ORDERLOOM_DESIGNER_DIR</code> at a built designer, then reload this page.</p>
    <p>The API is available meanwhile: <a href="/api/docs">API reference</a>, <a href="/health">/health</a>.</p>
  </body>
</html>
`;

/**
 * Serves the designer's static build at `/`: hashed files under `assets/` are cached for a year,
 * everything else is revalidated; GETs for paths without a file extension fall back to
 * `index.html` (client-side routing). Without a build, `/` explains how to make one.
 * Mount after the API so `/api` never reaches it.
 */
export function designerStatic(designerDir: string): Router {
  const router = Router();
  const assetsDir = join(designerDir, 'assets') + sep;
  const indexFile = join(designerDir, 'index.html');

  router.use(
    express.static(designerDir, {
      index: false,
      setHeaders(res, filePath) {
        res.setHeader(
          'Cache-Control',
          filePath.startsWith(assetsDir) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    }),
  );

  router.get(['/favicon.svg', '/favicon.ico'], (_req, res) => {
    res.type('image/svg+xml').set('Cache-Control', 'public, max-age=86400').send(favicon);
  });

  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isPageRequest(req.path, req.headers.accept)) {
      next();
      return;
    }
    // Checked per request so a designer built after start is picked up without a restart.
    if (existsSync(indexFile)) {
      res.set('Cache-Control', 'no-cache').sendFile(indexFile);
      return;
    }
    res.status(200).type('html').set('Cache-Control', 'no-store').send(notBuiltPage);
  });

  return router;
}

// A browser navigation (Accept names text/html) or an extension-less path is a page of the
// single-page app; anything else that is not a file is a missing asset and gets a 404.
function isPageRequest(path: string, accept: string | undefined): boolean {
  if (path === '/api' || path.startsWith('/api/')) return false;
  if (accept?.includes('text/html')) return true;
  return !(path.split('/').at(-1) ?? '').includes('.');
}
