// A stop within SHUTDOWN_TIMEOUT_MS includes webhook delivery: a POST still in flight at the bound
// is cut, and since the receiver never failed, nothing is counted against it; the message goes
// again after the restart.
import { sql } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, rows } from '../../src/store/db.js';
import { testCapabilities } from '../support/capabilities.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { waitFor } from '../support/wait.js';
import { startReceiver } from './support.js';

const SECRET = 'whsec_' + Buffer.alloc(32, 9).toString('base64');
let t: TestClario | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
afterEach(async () => {
  await t?.close();
  await receiver?.close();
});

it('cuts a webhook POST still in flight at the shutdown bound without counting it as a failure', async () => {
  receiver = await startReceiver(SECRET, () => 'hang');
  t = await startTestClario({ capabilities: testCapabilities(), env: { WEBHOOK_ALLOW_INSECURE: 'true', SHUTDOWN_TIMEOUT_MS: '200' } });
  const sub = await t.request('/api/v1/subscriptions', { body: { url: receiver.url, secret: SECRET } });
  expect(sub.status).toBe(201);
  expect((await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'hook-stop' } })).status).toBe(202);
  await waitFor(() => (receiver?.attempts.length ?? 0) > 0, 'a POST in flight');
  await t.clario.close();

  const db = await openDatabase({ dataDir: t.env.CLARIO_DATA_DIR });
  try {
    const [cursor] = await rows<{ attempts: number; last_error: unknown; lease_token: string | null }>(
      db.db,
      sql`SELECT attempts, last_error, lease_token FROM subscription_cursors WHERE subscription_id = ${sub.body.id}`,
    );
    expect(cursor).toEqual({ attempts: 0, last_error: null, lease_token: null });
  } finally {
    await db.close();
  }
}, 120_000);
