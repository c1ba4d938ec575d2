// Bad input: property-based fuzzing (fast-check) of every endpoint's body, path, query and headers;
// oversized bodies; slow clients that trickle their headers; malformed WebSocket frames; corrupt
// report files fed to detection; payouts that do not fit their claim (another currency, the largest
// safe integer on a 0.79 claim, an unsafe integer); hostile files (a PDF of 20,000 text items,
// uploads over the request limit, gzip bombs). Goal: no 5xx, no crash (the service keeps
// answering), every refusal in the error format; corrupt files end as errors-as-values, never a
// throw of anything else; a payout that does not fit is parked (payout_mismatch), never charged.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { claims } from '../../src/store/schema/claims-tables.js';
import { phaseEvents } from '../../src/store/schema/workflow-tables.js';
import { detect, InputFileError, InputFolderError } from '../../src/detection/index.js';
import { reachAmazon } from '../../src/amazon/reach-amazon.js';
import { setupStripe } from '../../src/billing/setup.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLog } from '../../src/workflow/log.js';
import { edgeAttacks } from '../edge-attacks.js';
import { listEndpoints, example, fillPath, type Endpoint } from '../endpoints.js';
import { hostileFiles, HOSTILE_MAX_REQUEST_BYTES } from '../hostile-files.js';
import { startProviders } from '../providers.js';
import { deploymentEnv, startNode, type Scenario } from '../scenario.js';
import { BAD_FRAMES, rawFrame } from '../ws-frames.js';
import { workloadCapabilities } from '../workload.js';

const SELLER_FILES = fileURLToPath(new URL('../../test/detection/fixtures/seller-a', import.meta.url));
const printable = (s: string) => /^[\x20-\x7e]*$/.test(s);

interface Tally {
  requests: number;
  status_2xx: number;
  status_3xx: number;
  status_4xx: number;
  status_5xx: number;
  /** 4xx answers not in the {error:{code,message}} format. */
  unformatted_errors: number;
  examples_5xx: string[];
  examples_unformatted: string[];
}

export const badInput: Scenario = async (ctx) => {
  const runs = Math.max(50, Math.round(3000 * ctx.scale));
  const providers = await startProviders();
  const database = await ctx.infra.newDatabase();
  // The bundled Amazon and Stripe simulators, so sign-in, connect and the Stripe webhook get the
  // bad input too (without them they only answer 503 "not set up").
  const providerDir = mkdtempSync(join(tmpdir(), 'clario-res-providers-'));
  const providerConfig = loadConfig({ CLARIO_DATA_DIR: providerDir, AMAZON_SIMULATOR_DECIDES_AFTER_MS: '0' });
  const amazon = await reachAmazon({ config: providerConfig, log: silentLog, asOf: '2026-01-31' });
  const stripe = await setupStripe({ config: providerConfig.billing, log: silentLog, publicUrl: () => node.url });
  // [edge] A short headers timeout, so the half-open handshakes of the edge attacks close soon.
  const node = await startNode(
    deploymentEnv(database.url, undefined, { HTTP_HEADERS_TIMEOUT_MS: '2000' }),
    'all',
    workloadCapabilities({ caseApiUrl: providers.cases.url, caseTokenSecret: providers.cases.tokenSecret, feeUrl: providers.fees.url }),
    { amazon, stripe },
  );
  const service = node.env.CLARIO_SERVICE_TOKEN ?? '';
  const seller = await node.clario.auth.issueSellerToken('alice', 3600);
  const t: Tally = { requests: 0, status_2xx: 0, status_3xx: 0, status_4xx: 0, status_5xx: 0, unformatted_errors: 0, examples_5xx: [], examples_unformatted: [] };
  let crashes = 0;
  const alive = async (on: { url: string; env: Record<string, string> } = node) => {
    const ok = await fetch(`${on.url}/healthz`, { headers: { authorization: `Bearer ${on.env.CLARIO_SERVICE_TOKEN ?? ''}` } }).then((r) => r.status === 200, () => false);
    if (!ok) crashes++;
    return ok;
  };
  const send = async (method: string, path: string, headers: Record<string, string>, body: string | Buffer | undefined) => {
    t.requests++;
    const res = await fetch(`${node.url}${path}`, { method, headers, redirect: 'manual', ...(body !== undefined && method !== 'GET' && method !== 'DELETE' ? { body } : {}) });
    const text = await res.text();
    const s = res.status;
    if (s >= 500) {
      t.status_5xx++;
      if (t.examples_5xx.length < 10) t.examples_5xx.push(`${method} ${path} → ${s} ${text.slice(0, 200)}`);
    } else if (s >= 400) {
      t.status_4xx++;
      let formatted = false;
      try {
        formatted = typeof (JSON.parse(text) as { error?: { code?: unknown } }).error?.code === 'string';
      } catch {
        // not JSON
      }
      if (!formatted) {
        t.unformatted_errors++;
        if (t.examples_unformatted.length < 10) t.examples_unformatted.push(`${method} ${path} (${headers['content-type'] ?? 'no type'}) → ${s} ${text.slice(0, 200)}`);
      }
    } else if (s >= 300) t.status_3xx++;
    else t.status_2xx++;
  };
  try {
    const endpoints = (await listEndpoints(node.url, service)).filter((e) => e.method !== 'DELETE');
    // 1. Fuzzing: a valid request, then its body, path, query and headers bent at random.
    const segment = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('alice', '1', '8', '0', '-1', '..', '%00', 'ä', 'x'.repeat(600)), fc.string({ unit: 'grapheme', maxLength: 10 }));
    const body = (e: Endpoint) =>
      fc.oneof(
        fc.constant(JSON.stringify(example(e.bodySchema) ?? {})),
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.anything().map((v) => JSON.stringify(v) ?? 'null'),
        fc.record({ user_id: segment, sync_id: segment, claim_id: segment, case_id: segment, amount_minor: fc.oneof(fc.integer(), fc.double(), fc.string()), currency: fc.string({ maxLength: 4 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
      );
    const headerValue = fc.string({ maxLength: 300 }).filter(printable);
    const request = fc.constantFrom(...endpoints).chain((e) =>
      fc.record({
        e: fc.constant(e),
        params: fc.dictionary(fc.constantFrom(...(e.pathParams.length ? e.pathParams : ['none'])), segment.map(String)),
        query: fc.option(fc.dictionary(fc.constantFrom('user_id', 'limit', 'after', 'event_id', 'since', 'x'), fc.string({ maxLength: 20 })), { nil: undefined }),
        body: body(e),
        type: fc.constantFrom('application/json', 'text/csv', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', ''),
        token: fc.constantFrom(service, seller, 'nope', ''),
        key: fc.option(headerValue, { nil: undefined }),
        extra: fc.option(fc.tuple(fc.constantFrom('x-forwarded-for', 'cookie', 'accept', 'content-encoding', 'transfer-encoding'), headerValue), { nil: undefined }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = {};
        if (r.token) headers.authorization = `Bearer ${r.token}`;
        if (r.type) headers['content-type'] = r.type;
        if (r.key !== undefined) headers['idempotency-key'] = r.key;
        if (r.extra && r.extra[0] !== 'transfer-encoding') headers[r.extra[0]] = r.extra[1];
        const query = r.query ? `?${new URLSearchParams(r.query).toString()}` : '';
        await send(r.e.method, `${fillPath(r.e, r.params)}${query}`, headers, r.body);
        return true;
      }),
      { numRuns: runs, seed: Number(process.env.RESILIENCE_SEED ?? 20261123), interruptAfterTimeLimit: Math.max(5000, ctx.deadline - Date.now() - 60_000) },
    );
    await alive();
    // 2. Oversized bodies: refused with 413 before they are read whole.
    let oversized = 0;
    let oversizedRefused = 0;
    for (const e of endpoints.filter((x) => x.method === 'POST' || x.method === 'PUT')) {
      const before = t.status_4xx;
      oversized++;
      await send(e.method, fillPath(e, { user_id: 'alice', phaseNumber: '1', id: 'x' }), { authorization: `Bearer ${service}`, 'content-type': /\/(costs|removal-receipts)$/.test(e.template) ? 'text/csv' : 'application/json' }, Buffer.alloc(3 * 1024 * 1024, 0x61));
      if (t.status_4xx > before) oversizedRefused++;
    }
    // 3. Slow clients: sockets that trickle their headers a byte at a time while others are served.
    const slow = Math.max(5, Math.round(50 * ctx.scale));
    const sockets = await Promise.all(
      Array.from({ length: slow }, () => new Promise<net.Socket>((resolve) => {
        const s = net.connect(Number(new URL(node.url).port), '127.0.0.1', () => resolve(s));
        s.on('error', () => undefined);
      })),
    );
    const head = `POST /api/v1/workflow/phase/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${service}\r\n`;
    let servedMeanwhile = 0;
    for (let i = 0; i < Math.min(head.length, 20); i++) {
      for (const s of sockets) s.write(head[i] ?? '');
      if (await alive()) servedMeanwhile++;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const s of sockets) s.destroy();
    // 4. Malformed WebSocket frames.
    for (const { frame } of BAD_FRAMES) await rawFrame(node.url, seller, frame);
    await alive();
    // [edge] 4b. Issue 14's attacks on the edge (resilience/edge-attacks.ts).
    const edge = await edgeAttacks({ url: node.url, service, seller, headersTimeoutMs: node.clario.config.edge.headersTimeoutMs, maxPerUser: node.clario.config.edge.wsMaxConnectionsPerUser });
    await alive();
    // 5. Corrupt report files fed to detection.
    const files = await corruptReports(Math.max(20, Math.round(200 * ctx.scale)));
    await alive();
    // 6. Payouts that do not fit their claim.
    const payouts = await payoutAttacks(node, service, providers.fees.effects, send);
    await alive();
    // 7. Hostile files: the PDF, uploads and gzip bombs that once stopped the service, on a node
    // with the real evidence capability (the workload's stand-ins bring no upload routes).
    const filesDatabase = await ctx.infra.newDatabase();
    const filesNode = await startNode(deploymentEnv(filesDatabase.url, undefined, { EVIDENCE_MAX_REQUEST_BYTES: String(HOSTILE_MAX_REQUEST_BYTES) }), 'all');
    let hostile;
    try {
      hostile = await hostileFiles(filesNode.url, filesNode.env.CLARIO_SERVICE_TOKEN ?? '', () => alive(filesNode), SELLER_FILES);
    } finally {
      await filesNode.close();
      await filesDatabase.drop();
    }
    const violations: string[] = [...hostile.violations];
    if (t.status_5xx > 0) violations.push(`${t.status_5xx} answers were 5xx: ${t.examples_5xx.slice(0, 3).join(' | ')}`);
    if (t.unformatted_errors > 0) violations.push(`${t.unformatted_errors} refusals were not in the error format: ${t.examples_unformatted.slice(0, 3).join(' | ')}`);
    if (crashes > 0) violations.push(`the service stopped answering ${crashes} times`);
    if (oversizedRefused < oversized) violations.push(`${oversized - oversizedRefused} oversized bodies were not refused`);
    violations.push(...edge.violations);
    if (files.crashes > 0) violations.push(`detection threw something other than an input error on ${files.crashes} corrupt files: ${files.examples.join(' | ')}`);
    violations.push(...payouts.violations);
    return {
      figures: {
        ...t,
        crashes,
        oversized: { sent: oversized, refused: oversizedRefused },
        slow_clients: { sockets: slow, health_checks_answered_meanwhile: servedMeanwhile },
        websocket_bad_frames: BAD_FRAMES.length,
        edge_attacks: edge.figures,
        corrupt_reports: files,
        hostile_files: hostile.figures,
        payout_attacks: payouts.figures,
      },
      violations,
    };
  } finally {
    await node.close();
    await amazon.close();
    await stripe.close();
    rmSync(providerDir, { recursive: true, force: true });
    await providers.close();
    await database.drop();
  }
};

/** Detection over a seller's folder with one file corrupted at random, `n` times. */
async function corruptReports(n: number): Promise<{ tried: number; claims_found: number; input_errors: number; crashes: number; examples: string[] }> {
  const names = readdirSync(SELLER_FILES);
  const out = { tried: 0, claims_found: 0, input_errors: 0, crashes: 0, examples: [] as string[] };
  const corruption = fc.tuple(
    fc.constantFrom(...names),
    fc.oneof(
      fc.uint8Array({ maxLength: 4000 }).map((b) => ({ kind: 'random bytes', f: (_: Buffer) => Buffer.from(b) })),
      fc.nat().map((at) => ({ kind: 'truncated', f: (x: Buffer) => x.subarray(0, at % Math.max(1, x.length)) })),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 50 }).map((flips) => ({
        kind: 'bytes flipped',
        f: (x: Buffer) => {
          const y = Buffer.from(x);
          for (const [at, v] of flips) if (y.length > 0) y[at % y.length] = v;
          return y;
        },
      })),
      fc.nat().map((at) => ({ kind: 'gzip truncated', gz: true, f: (x: Buffer) => gzipSync(x).subarray(0, at % 200) })),
      fc.constant({ kind: 'one huge line', f: (x: Buffer) => Buffer.concat([x.subarray(0, 200), Buffer.alloc(2 * 1024 * 1024, 0x41)]) }),
      fc.constant({ kind: 'empty', f: (_: Buffer) => Buffer.alloc(0) }),
    ),
  );
  const samples = fc.sample(corruption, { numRuns: n, seed: 7 });
  for (const [name, c] of samples) {
    const dir = mkdtempSync(join(tmpdir(), 'clario-corrupt-'));
    try {
      cpSync(SELLER_FILES, dir, { recursive: true });
      const original = readFileSync(join(dir, name));
      const gz = 'gz' in c && c.gz;
      if (gz) rmSync(join(dir, name));
      writeFileSync(join(dir, gz ? `${name}.gz` : name), c.f(original));
      out.tried++;
      const r = await detect(dir, { asOf: '2026-11-22' });
      out.claims_found += r.claims.length;
    } catch (err) {
      if (err instanceof InputFileError || err instanceof InputFolderError) out.input_errors++;
      else {
        out.crashes++;
        if (out.examples.length < 5) out.examples.push(`${name} (${c.kind}): ${String(err).slice(0, 200)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

type Node = Awaited<ReturnType<typeof startNode>>;

/**
 * A JPY payout on a CAD claim and the largest safe integer on a 0.79 claim are accepted (the edge
 * cannot know the claim) and must be parked by phase 7 as payout_mismatch, with no fee charged; an
 * unsafe integer and a zero payout are refused at the edge. A payout that fits is charged once, so
 * "nothing charged" is not the fee provider being unreachable.
 */
async function payoutAttacks(
  node: Node,
  service: string,
  charged: ReadonlyMap<string, number>,
  send: (method: string, path: string, headers: Record<string, string>, body: string | undefined) => Promise<void>,
): Promise<{ figures: Record<string, unknown>; violations: string[] }> {
  const db = node.clario.database.db;
  const user = 'mallory-payouts';
  await db
    .insert(claims)
    .values([
      { id: 'bad-payout-cad', userId: user, type: 'lost_warehouse', status: 'filed', caseId: 'BAD-CASE-CAD', amountMinor: 5000, currency: 'CAD', quantity: 1 },
      { id: 'bad-payout-079', userId: user, type: 'lost_warehouse', status: 'filed', caseId: 'BAD-CASE-079', amountMinor: 79, currency: 'USD', quantity: 1 },
      { id: 'bad-payout-ok', userId: user, type: 'lost_warehouse', status: 'filed', caseId: 'BAD-CASE-OK', amountMinor: 5000, currency: 'CAD', quantity: 1 },
    ])
    .onConflictDoNothing();
  const headers = { authorization: `Bearer ${service}`, 'content-type': 'application/json' };
  const trigger = async (claimId: string, payoutId: string, amount: string, currency: string) => {
    const body = `{"user_id":"${user}","claim_id":"${claimId}","payout_id":"${payoutId}","amount_minor":${amount},"currency":"${currency}"}`;
    const res = await fetch(`${node.url}/api/v1/workflow/payout/received`, { method: 'POST', headers, body });
    const answer = (await res.json()) as { event_id?: string };
    return { status: res.status, eventId: answer.event_id };
  };
  const violations: string[] = [];
  const parked: Record<string, string | null> = {};
  const mismatches = [
    { claimId: 'bad-payout-cad', payoutId: 'BAD-PAY-JPY', amount: '5000', currency: 'JPY' },
    { claimId: 'bad-payout-079', payoutId: 'BAD-PAY-HUGE', amount: String(Number.MAX_SAFE_INTEGER), currency: 'USD' },
  ];
  const fits = { claimId: 'bad-payout-ok', payoutId: 'BAD-PAY-OK', amount: '5000', currency: 'CAD' };
  const events: Array<{ payoutId: string; eventId: string | undefined }> = [];
  for (const p of [...mismatches, fits]) {
    const r = await trigger(p.claimId, p.payoutId, p.amount, p.currency);
    if (r.status !== 202) violations.push(`payout ${p.payoutId} was answered ${r.status}, not accepted`);
    events.push({ payoutId: p.payoutId, eventId: r.eventId });
  }
  // Refused at the edge, in the error format (send() counts any 5xx or unformatted refusal).
  for (const amount of ['9007199254740993', '0', '-1', '1e400']) {
    await send('POST', '/api/v1/workflow/payout/received', headers, `{"user_id":"${user}","claim_id":"bad-payout-079","payout_id":"BAD-PAY-EDGE","amount_minor":${amount},"currency":"USD"}`);
  }
  const edge = await trigger('bad-payout-079', 'BAD-PAY-EDGE', '9007199254740993', 'USD');
  if (edge.status !== 400) violations.push(`an unsafe integer payout was answered ${edge.status}, not 400`);
  // Wait for each event to settle (completed or parked); a slow machine only waits longer.
  const until = Date.now() + 60_000;
  for (const e of events) {
    for (;;) {
      const [found] = e.eventId ? await db.select().from(phaseEvents).where(eq(phaseEvents.id, e.eventId)) : [];
      if (found && (found.status === 'completed' || found.status === 'failed')) {
        parked[e.payoutId] = found.status === 'failed' ? (found.lastError?.code ?? 'failed') : null;
        break;
      }
      if (Date.now() > until) {
        violations.push(`payout ${e.payoutId} did not settle`);
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const chargedKeys = (payoutId: string) => [...charged].filter(([k]) => k.includes(payoutId)).reduce((n, [, c]) => n + c, 0);
  for (const m of mismatches) {
    if (parked[m.payoutId] !== 'payout_mismatch') violations.push(`payout ${m.payoutId} was not parked as payout_mismatch (${String(parked[m.payoutId])})`);
    if (chargedKeys(m.payoutId) > 0) violations.push(`a fee was charged on payout ${m.payoutId}`);
  }
  if (chargedKeys('BAD-PAY-EDGE') > 0) violations.push('a fee was charged on a payout refused at the edge');
  if (parked[fits.payoutId] !== null || chargedKeys(fits.payoutId) !== 1) violations.push(`the payout that fits its claim was not charged exactly once`);
  return { figures: { parked, charged_on_mismatches: mismatches.reduce((n, m) => n + chargedKeys(m.payoutId), 0), edge_status: edge.status }, violations };
}
