// The demo seller's consent, as a browser would give it: sign in with Amazon (the simulator's
// default account), then /connect → the simulator's consent page → approve → the callback, which
// links the demo seller to that account and sends the browser to the dashboard.
import type { TestClario } from './clario.js';
import { SellerBrowser } from './seller-browser.js';

export async function connectDemoSeller(t: TestClario): Promise<{ userId: string; cookie: string }> {
  const browser = new SellerBrowser(t.url);
  const userId = await browser.signIn();
  await browser.connect();
  return { userId, cookie: `clario_session=${browser.cookies.get('clario_session') ?? ''}` };
}
