// The seller dashboard: its read API and the built page.
import { fileURLToPath } from 'node:url';

export { dashboardRoutes, type DashboardRouteDeps } from './routes.js';
export { webRoutes, dashboardNotFoundPage, CLIENT_ROUTES } from './web.js';

/** Where `npm run build` puts the page: dist/web, from src/ (tsx) and from dist/ alike. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** The page's bearer token lives this long; it asks for a new one when it runs out. */
export const PAGE_TOKEN_TTL_SECONDS = 30 * 60;
