// Serves the built dashboard (web/ → dist/web) at `/`. The page and its assets carry no data, so
// they are public; everything they show comes from the authenticated API. Hashed assets are cached
// for a year, the page itself is revalidated so a new build shows at once.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NotFoundPage } from '../http/app.js';

/** The page's client-side routes: a reload or a shared link lands on index.html. */
export const CLIENT_ROUTES = ['/overview', '/live', '/claims', '/claims/:id', '/file-today', '/file-today/:id', '/prompts', '/records', '/ops', '/signin'] as const;

/** Where the server's own answers live: an unknown path under these is never the dashboard's. */
export const SERVER_PREFIXES = ['/api', '/ws', '/connect', '/signin', '/openapi', '/docs', '/metrics', '/healthz', '/readyz', '/assets'] as const;

/**
 * Whether an unknown path is a person's mistyped dashboard address: a GET from a browser asking
 * for HTML, outside the server's own prefixes. API callers (no text/html) keep the JSON 404.
 */
export function wantsDashboardPage(request: Pick<FastifyRequest, 'method' | 'url' | 'headers'>): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const accept = String(request.headers.accept ?? '');
  if (!/\btext\/html\b/i.test(accept)) return false;
  const path = (request.url.split('?')[0] ?? '').toLowerCase();
  return !SERVER_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}.`));
}

// No inline script or style, no third-party origin: the build needs none.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

function pageHeaders(reply: FastifyReply): void {
  void reply.header('cache-control', 'no-cache');
  void reply.header('content-security-policy', CSP);
  void reply.header('x-content-type-options', 'nosniff');
  void reply.header('referrer-policy', 'no-referrer');
  void reply.header('x-frame-options', 'DENY');
}

export function webRoutes(webDir: string) {
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(async (web) => {
      // Only the routes of this plugin are public (the hook sees this context's routes alone).
      web.addHook('onRoute', (route) => {
        route.config = { ...(route.config ?? {}), public: true };
        route.schema = { ...(route.schema ?? {}), hide: true };
      });
      if (!existsSync(join(webDir, 'index.html'))) {
        web.get('/', (_request, reply) =>
          reply
            .status(503)
            .type('text/html; charset=utf-8')
            .send('<!doctype html><html lang="en"><title>Clario</title><p>The dashboard is not built yet: run <code>npm run build</code>.</p></html>'),
        );
        return;
      }
      await web.register(fastifyStatic, {
        root: webDir,
        prefix: '/',
        wildcard: false,
        cacheControl: false,
        setHeaders: (reply, path) => {
          if (/[\\/]assets[\\/]/.test(path)) void reply.header('cache-control', 'public, max-age=31536000, immutable');
          else pageHeaders(reply);
          void reply.header('x-content-type-options', 'nosniff');
        },
      });
      for (const route of CLIENT_ROUTES) web.get(route, (_request, reply) => reply.sendFile('index.html'));
    });
  };
}

/**
 * The app's answer to a mistyped dashboard address, once the dashboard is built: the page (with
 * 404), whose router says "page not found" and links home. Anyone else keeps the JSON 404 (401
 * without a token). Served from the not-found handler, not a wildcard route, so the router's own
 * refusals (a path parameter over its length limit: 414) stay what they are.
 */
export function dashboardNotFoundPage(webDir: string): NotFoundPage | undefined {
  const index = join(webDir, 'index.html');
  if (!existsSync(index)) return undefined;
  return {
    wants: wantsDashboardPage,
    send: async (reply) => {
      // Read at each miss, as the static files are, so a new build shows at once.
      const html = await readFile(index);
      pageHeaders(reply);
      return reply.status(404).type('text/html; charset=utf-8').send(html);
    },
  };
}
