// The demo seller's consent, as a browser would give it: /connect → the simulator's consent page →
// approve → the callback, which signs the seller in (303 to the dashboard with a session cookie).
import { expect } from 'vitest';
import type { TestClario } from './clario.js';

const hiddenFields = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
      m[1],
      m[2]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))).replace(/&amp;/g, '&'),
    ]),
  );

export async function connectDemoSeller(t: TestClario): Promise<{ userId: string; cookie: string }> {
  const start = await fetch(`${t.url}/connect`, { redirect: 'manual' });
  const consentUrl = new URL(start.headers.get('location') ?? '');
  const form = new URLSearchParams(hiddenFields(await (await fetch(consentUrl)).text()));
  const approved = await fetch(new URL('/apps/authorize/consent', consentUrl), {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const done = await fetch(approved.headers.get('location') ?? '', { redirect: 'manual' });
  expect(done.status).toBe(303);
  const cookie = (done.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const session = (await (await fetch(`${t.url}/api/v1/session`, { headers: { cookie } })).json()) as { user_id: string };
  return { userId: session.user_id, cookie };
}
