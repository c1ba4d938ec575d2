// The OpenAPI document (/docs/json): every operation has a stable id and a description, every tag
// is declared, errors are documented in the one error format, public routes need no token, and
// Redocly's recommended rules (redocly.yaml) find nothing, neither errors nor warnings.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentServers } from '../../src/http/openapi.js';
import { startTestClario, type TestClario } from '../support/clario.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

interface Operation {
  operationId?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}
interface Document {
  servers?: Array<{ url: string }>;
  tags?: Array<{ name: string; description?: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

/** Redocly's verdict on a document, with the committed configuration, offline. */
async function lint(doc: unknown): Promise<{ totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; message: string }> }> {
  const dir = mkdtempSync(join(tmpdir(), 'clario-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const args = ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'];
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
    // It exits 1 when it finds errors; its JSON verdict is on stdout either way.
    const out = await run(join(ROOT, 'node_modules', '.bin', 'redocly'), args, { env, cwd: dir }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    return JSON.parse(out.stdout) as Awaited<ReturnType<typeof lint>>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The routes that prove themselves otherwise (or reveal nothing): reachable without a token. */
const PUBLIC = [
  'GET /healthz',
  'GET /readyz',
  'GET /docs/json',
  'GET /connect',
  'GET /connect/callback',
  'GET /signin/amazon',
  'GET /signin/amazon/callback',
  'POST /api/v1/billing/stripe/webhook',
  // The confirmation link of a notification address: proven by the token it carries.
  'GET /api/v1/notifications/confirm',
  'POST /api/v1/notifications/confirm',
];

describe('the OpenAPI document', () => {
  let t: TestClario;
  let doc: Document;
  let operations: Array<[string, Operation]>;

  beforeAll(async () => {
    t = await startTestClario();
    const r = await t.request('/docs/json', { token: null });
    expect(r.status).toBe(200);
    doc = r.body as Document;
    operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, Operation]));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives every operation a unique camelCase, verb-first id and a description', () => {
    expect(operations.length).toBeGreaterThan(40);
    const ids = operations.map(([, op]) => op.operationId);
    for (const [name, op] of operations) {
      expect(op.operationId, name).toMatch(/^[a-z]+(?:[A-Z][a-z0-9]*)+$/);
      expect(op.description?.trim().length ?? 0, name).toBeGreaterThan(20);
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Stable: a client generated from the document keeps its method names.
    const byRoute = Object.fromEntries(operations.map(([name, op]) => [name, op.operationId]));
    expect(byRoute['POST /api/v1/workflow/phase/{phaseNumber}']).toBe('triggerPhase');
    expect(byRoute['GET /api/v1/workflow/status/{user_id}']).toBe('getWorkflowStatus');
    expect(byRoute['POST /api/v1/workflow/sync/complete']).toBe('notifySyncComplete');
  });

  it('declares every tag it uses, with a description', () => {
    const declared = new Map((doc.tags ?? []).map((tag) => [tag.name, tag.description ?? '']));
    const used = new Set(operations.flatMap(([, op]) => op.tags ?? []));
    expect(used.size).toBeGreaterThan(5);
    for (const tag of used) expect(declared.get(tag)?.length ?? 0, tag).toBeGreaterThan(0);
  });

  it('names its server', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(documentServers('https://clario.test/')).toEqual([expect.objectContaining({ url: 'https://clario.test' })]);
  });

  it('marks exactly the public routes as needing no token', () => {
    const open = operations.filter(([, op]) => Array.isArray(op.security) && op.security.length === 0).map(([name]) => name);
    expect(open.sort()).toEqual([...PUBLIC].sort());
    // The others inherit the document's bearer requirement.
    for (const [name, op] of operations) if (!PUBLIC.includes(name)) expect(op.security, name).toBeUndefined();
  });

  it('documents the error answers with the one shared error schema', async () => {
    const ref = { $ref: '#/components/schemas/Error' };
    expect(doc.components.schemas.Error).toBeDefined();
    for (const [name, op] of operations) {
      // A path parameter can be missed (404) or over the router's limit (414); a body is read on
      // every method but GET (too large: 413, a type no parser takes: 415), wanted or not.
      const readsBody = !name.startsWith('GET ');
      const statuses = [400, 429, ...(PUBLIC.includes(name) ? [] : [401, 403]), ...(name.includes('{') ? [404, 414] : []), ...(readsBody ? [413, 415] : [])];
      for (const status of statuses) expect(op.responses[status]?.content?.['application/json']?.schema, `${name} ${status}`).toEqual(ref);
      for (const [status, response] of Object.entries(op.responses)) {
        const json = response.content?.['application/json'];
        if (Number(status) >= 400 && json && name !== 'GET /readyz') expect(json.schema, `${name} ${status}`).toEqual(ref);
      }
    }
    // And it is what an error answer looks like.
    const refused = await t.request('/api/v1/workflow/audit', { token: null });
    expect(refused.status).toBe(401);
    expect(Object.keys(refused.body as object)).toEqual(['error']);
    expect(Object.keys((refused.body as { error: object }).error).sort()).toEqual(['code', 'message']);
  });

  it('documents the general refusals as the service answers them', async () => {
    // Each status the document promises above, met on a real route.
    const long = await t.request(`/api/v1/subscriptions/${'x'.repeat(500)}`);
    expect([long.status, long.body.error.code]).toEqual([414, 'uri_too_long']);
    const typed = await fetch(`${t.url}/api/v1/subscriptions/sub_x`, { method: 'DELETE', headers: { authorization: `Bearer ${t.serviceToken}`, 'content-type': 'application/xml' }, body: '<x/>' });
    expect(typed.status).toBe(415);
    const large = await t.request('/api/v1/workflow/events/evt_x/replay', { body: { pad: 'x'.repeat(1_100_000) } });
    expect([large.status, large.body.error.code]).toEqual([413, 'payload_too_large']);
    expect(Object.keys(doc.paths['/api/v1/workflow/events/{id}/replay']?.post?.responses ?? {})).toEqual(expect.arrayContaining(['413', '414', '415']));
    expect(Object.keys(doc.paths['/api/v1/workflow/audit']?.get?.responses ?? {})).not.toEqual(expect.arrayContaining(['413']));
  });

  it('documents the 409 of replaying an event that is not parked and of answering a shipment already answered', () => {
    const ref = { $ref: '#/components/schemas/Error' };
    expect(doc.paths['/api/v1/workflow/events/{id}/replay']?.post?.responses['409']?.content?.['application/json']?.schema).toEqual(ref);
    expect(doc.paths['/api/v1/sellers/{user_id}/removal-shipments/{shipment_id}/answer']?.post?.responses['409']?.content?.['application/json']?.schema).toEqual(ref);
  });

  it("marks a request body required only where the route needs one (a replay's is optional)", () => {
    const body = (path: string) => (doc.paths[path]?.post as { requestBody?: { required?: boolean } } | undefined)?.requestBody;
    expect(body('/api/v1/subscriptions/{id}/replay')?.required).toBe(false);
    expect(body('/api/v1/subscriptions')?.required).toBe(true);
    expect(JSON.stringify(doc)).not.toContain('x-clario-optional-body');
  });

  it('documents a success answer (2xx, or a redirect) on every operation', () => {
    for (const [name, op] of operations) expect(Object.keys(op.responses).some((status) => /^[23]/.test(status)), name).toBe(true);
  });

  it('documents the status each route succeeds with, and the upload refusals', () => {
    const success = (path: string, method: string) => Object.keys(doc.paths[path]?.[method]?.responses ?? {}).filter((status) => /^[23]/.test(status));
    expect(success('/api/v1/subscriptions', 'post')).toEqual(['201']);
    expect(success('/api/v1/subscriptions/{id}', 'delete')).toEqual(['204']);
    expect(success('/api/v1/session', 'delete')).toEqual(['204']);
    expect(success('/api/v1/evidence', 'post')).toEqual(['201']);
    expect(doc.paths['/api/v1/subscriptions/{id}']?.delete?.responses['204']?.content).toBeUndefined();
    expect(Object.keys(doc.paths['/api/v1/evidence']?.post?.responses ?? {})).toEqual(expect.arrayContaining(['413', '415']));
  });

  it('says which answers are redirects or files rather than JSON', () => {
    const connect = doc.paths['/connect']?.get;
    expect(Object.keys(connect?.responses ?? {})).toEqual(expect.arrayContaining(['302', '303']));
    expect(connect?.responses['302']?.content).toBeUndefined();
    expect(Object.keys(doc.paths['/api/v1/claims/{id}/proof.pdf']?.get?.responses['200']?.content ?? {})).toEqual(['application/pdf']);
  });

  it('hides the dashboard page and the WebSocket', () => {
    expect(Object.keys(doc.paths).filter((p) => p === '/' || p === '/ws' || p.startsWith('/claims') || p === '/overview')).toEqual([]);
  });

  it("passes Redocly's recommended rules with no error and no warning", async () => {
    const verdict = await lint(doc);
    expect(verdict.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(verdict.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('the lint catches an operation without an id or a description', async () => {
    const broken = structuredClone(doc);
    const op = broken.paths['/healthz']?.get as Operation;
    delete op.operationId;
    delete op.description;
    const verdict = await lint(broken);
    expect(verdict.problems.map((p) => p.ruleId).sort()).toEqual(['operation-description', 'operation-operationId']);
    expect(verdict.totals.errors).toBe(2);
  });
});
