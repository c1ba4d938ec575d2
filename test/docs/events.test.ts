// The event catalogue cannot drift: the committed docs/events.md is what the schemas generate,
// and the messages Clario really sends match the schemas.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/store/db.js';
import { EVENT_CATALOGUE, renderCatalogue } from '../../src/workflow/messages.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';
import { waitFor } from '../support/wait.js';

describe('the event catalogue', () => {
  it('is what the schemas generate (run npm run docs:events after changing them)', () => {
    expect(readFileSync('docs/events.md', 'utf8')).toBe(renderCatalogue());
  });

  it("has examples that match their own schemas", () => {
    for (const e of EVENT_CATALOGUE) expect(e.schema.safeParse(e.example).success, e.type).toBe(true);
  });
});

describe('messages Clario sends', () => {
  let t: TestClario;
  beforeAll(async () => {
    t = await startTestClario({ capabilities: testCapabilities() });
  });
  afterAll(async () => {
    await t.close();
  });

  it('all have a catalogued type and match its schema', async () => {
    await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'cat', sync_id: 'cat-run' } });
    await t.request('/api/v1/workflow/phase/5', { body: { user_id: 'cat', claim_id: 'nobody-knows', case_id: 'K' } });
    await waitFor(async () => (await t.request('/api/v1/workflow/status/cat')).body.runs.some((r: any) => r.phases[3]?.status === 'completed'));
    // Phase 5 names a claim nobody knows: it fails and is retried, so its messages carry an error.
    await waitFor(async () => (await rows(t.clario.database.db, sql`SELECT 1 FROM outbox WHERE user_id = 'cat' AND payload->'data'->'error' IS NOT NULL`)).length > 0);
    const sent = await rows<{ type: string; user_id: string; event_id: string | null; payload: Record<string, unknown> }>(
      t.clario.database.db,
      sql`SELECT type, user_id, event_id, payload FROM outbox WHERE user_id = 'cat' ORDER BY seq`,
    );
    expect(new Set(sent.map((m) => m.type))).toEqual(new Set(['workflow.phase', 'workflow.progress']));
    for (const m of sent) {
      const entry = EVENT_CATALOGUE.find((e) => e.type === m.type);
      expect(entry, m.type).toBeDefined();
      const parsed = entry!.schema.safeParse(m.payload);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      // The row is filed under what the message says.
      expect([m.payload.type, m.payload.user_id, m.payload.event_id]).toEqual([m.type, m.user_id, m.event_id]);
    }
  });
});
