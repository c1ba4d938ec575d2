// The attacks on who-is-who that the authorization matrix keeps closed (issue 14, items 1 and 10),
// played against an API node of the matrix's database with the bundled Amazon simulator:
// - an edited `selling_partner_id` on the consent callback (another account's partner, a made-up one);
// - a consent or sign-in callback opened in another browser, or by nobody signed in;
// - a token used after sign-out, over HTTP and the WebSocket;
// - a page token refreshed past the session's absolute lifetime (the node's session clock moves).
// Each check names what it expected; a mismatch is a line in the matrix's list.
import { sql } from 'drizzle-orm';
import WebSocket from 'ws';
import { SellerBrowser } from '../../test/support/seller-browser.js';
import { startNode } from '../scenario.js';
import { rows } from '../../src/store/db.js';

const DEMO = 'A1CLARIODEMO01';
const MAX_AGE_S = 3600;

function wsStatus(url: string, token: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws?token=${encodeURIComponent(token)}`);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => resolve(0));
  });
}

export async function authAttacks(env: Record<string, string>): Promise<{ checks: Record<string, string>; mismatches: string[] }> {
  let now = Date.now();
  const node = await startNode({ ...env, SESSION_MAX_AGE_SECONDS: String(MAX_AGE_S) }, 'api', undefined, { now: () => now });
  const checks: Record<string, string> = {};
  const mismatches: string[] = [];
  const check = (name: string, got: unknown, want: unknown) => {
    checks[name] = String(got);
    if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${name}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  };
  const service = { authorization: `Bearer ${node.env.CLARIO_SERVICE_TOKEN ?? ''}` };
  const connectionOf = async (partner: string) =>
    (await rows<{ user_id: string; refresh_token: string }>(node.clario.database.db, sql`SELECT user_id, refresh_token FROM amazon_connections WHERE selling_partner_id = ${partner}`))[0];
  try {
    const browser = () => new SellerBrowser(node.url);
    // The victim signs in and connects the demo seller.
    const victim = browser();
    const victimId = await victim.signIn('victim@sellers.example');
    await victim.connect();
    const victimGrant = await connectionOf(DEMO);

    // Edited selling_partner_id: another account's partner, then one nobody linked.
    const attacker = browser();
    const attackerId = await attacker.signIn('attacker@sellers.example');
    const taken = await attacker.fetch(await attacker.consentCallback(DEMO));
    await taken.arrayBuffer();
    check('edited selling_partner_id (another account\'s) → status', taken.status, 409);
    check('edited selling_partner_id → the attacker\'s session stays theirs', await attacker.userId(), attackerId);
    check('edited selling_partner_id → the victim\'s grant is untouched', JSON.stringify(await connectionOf(DEMO)), JSON.stringify(victimGrant));
    const events = (await (await fetch(`${node.url}/api/v1/ops/security-events`, { headers: service })).json()) as { events: Array<{ kind: string; user_id: string }> };
    check('edited selling_partner_id → operators see the refusal', events.events[0]?.kind === 'partner_link_refused' && events.events[0].user_id === attackerId, true);
    const made = await attacker.fetch((await attacker.consentCallback()).replace(`selling_partner_id=${DEMO}`, 'selling_partner_id=A9MADEUP0001'));
    await made.arrayBuffer();
    check('edited selling_partner_id (made up) → stored under the editor only', (await connectionOf('A9MADEUP0001'))?.user_id, attackerId);
    check('edited selling_partner_id (made up) → the editor\'s session stays theirs', await attacker.userId(), attackerId);

    // The victim's callback link opened elsewhere.
    const link = (await victim.consentCallback()).replace(`selling_partner_id=${DEMO}`, 'selling_partner_id=A9VICTIM0002');
    const anonymous = await fetch(link, { redirect: 'manual' });
    await anonymous.arrayBuffer();
    check('consent callback with nobody signed in → status', anonymous.status, 401);
    const elsewhere = await attacker.fetch(link);
    await elsewhere.arrayBuffer();
    check('consent callback from another browser → status', elsewhere.status, 400);
    check('refused consent callbacks → nothing stored', (await connectionOf('A9VICTIM0002'))?.user_id, undefined);
    const signInLink = await attacker.signInCallback('attacker@sellers.example');
    const loginCsrf = await browser().fetch(signInLink);
    await loginCsrf.arrayBuffer();
    check('sign-in callback from another browser → status', loginCsrf.status, 400);

    // Tokens after sign-out.
    const page = (await (await victim.fetch('/api/v1/session')).json()) as { token: string; user_id: string };
    check('the victim is who they signed in as', page.user_id, victimId);
    const out = await fetch(`${node.url}/api/v1/session`, { method: 'DELETE', headers: { authorization: `Bearer ${page.token}` } });
    await out.arrayBuffer();
    check('sign-out → status', out.status, 204);
    for (const [name, token] of [['page token', page.token], ['cookie token', victim.cookies.get('clario_session') ?? '']] as const) {
      const r = await fetch(`${node.url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } });
      await r.arrayBuffer();
      check(`${name} after sign-out → HTTP status`, r.status, 401);
      check(`${name} after sign-out → /ws status`, await wsStatus(node.url, token), 401);
    }

    // A page that refreshes its token every 20 minutes, past the session's absolute lifetime.
    const started = now;
    const keeper = browser();
    await keeper.signIn('keeper@sellers.example');
    let token = keeper.cookies.get('clario_session') ?? '';
    let lastStatus = 200;
    let outlived = false;
    for (let minute = 0; minute <= (2 * MAX_AGE_S) / 60; minute += 20) {
      now = started + minute * 60_000;
      const r = await fetch(`${node.url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } });
      lastStatus = r.status;
      if (r.status !== 200) break;
      const body = (await r.json()) as { token: string; expires_at: string };
      if (Date.parse(body.expires_at) > started + MAX_AGE_S * 1000) outlived = true;
      token = body.token;
    }
    check('refreshed page tokens → none outlives the session', outlived, false);
    check('refreshed page token past the absolute lifetime → HTTP status', lastStatus, 401);
    check('refreshed page token past the absolute lifetime → /ws status', await wsStatus(node.url, token), 401);
  } finally {
    await node.close();
  }
  return { checks, mismatches };
}
