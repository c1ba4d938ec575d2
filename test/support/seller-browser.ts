// A seller's browser without a browser: follows Clario's sign-in and connect flows through the
// bundled Amazon simulator with fetch, keeping Clario's cookies as a browser would (only for
// Clario's origin). Tests use it to play sellers, and to play an attacker who edits a URL or
// opens someone else's callback link.
const decode = (text: string) => text.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c)));

function formOf(html: string): URLSearchParams {
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="(?:hidden|email)" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1] ?? '', decode(m[2] ?? ''));
  const choice = /<select name="([^"]+)"><option>([^<]*)<\/option>/.exec(html);
  if (choice) form.set(choice[1] ?? '', decode(choice[2] ?? ''));
  return form;
}

/** What a browser asks for when it follows a link, a redirect or a form: Clario answers it with pages. */
export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,*/*;q=0.8';

export class SellerBrowser {
  readonly cookies = new Map<string, string>();
  constructor(readonly clarioUrl: string) {}

  /** A GET (or a form POST) as this browser: Clario's cookies go along and are kept. */
  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url, this.clarioUrl);
    const own = target.origin === new URL(this.clarioUrl).origin;
    const headers = new Headers(init.headers);
    if (!headers.has('accept')) headers.set('accept', BROWSER_ACCEPT);
    if (own && this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(target, { ...init, headers, redirect: 'manual' });
    if (own) {
      for (const line of res.headers.getSetCookie()) {
        const [pair = '', ...attributes] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        const gone = value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
        if (gone) this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
    }
    return res;
  }

  private async submit(pageUrl: URL, change: (form: URLSearchParams) => void = () => undefined): Promise<Response> {
    const page = await fetch(pageUrl);
    const html = await page.text();
    if (page.status !== 200) throw new Error(`${pageUrl.pathname} answered ${page.status}: ${html.slice(0, 300)}`);
    const form = formOf(html);
    change(form);
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? pageUrl.pathname;
    return fetch(new URL(action, pageUrl), { method: 'POST', body: form, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** Starts a sign-in and signs in at Amazon; returns the callback URL Amazon sends the browser to (not yet opened). */
  async signInCallback(email?: string): Promise<string> {
    const start = await this.fetch('/signin/amazon');
    if (start.status !== 302) throw new Error(`/signin/amazon answered ${start.status}`);
    const allowed = await this.submit(new URL(start.headers.get('location') ?? ''), (form) => {
      form.set('decision', 'allow');
      if (email) form.set('email', email);
    });
    if (allowed.status !== 302) throw new Error(`Amazon's sign-in answered ${allowed.status}`);
    return allowed.headers.get('location') ?? '';
  }

  /** Signs in with Amazon as `email` (the simulator's default account when none); returns the Clario user id. */
  async signIn(email?: string): Promise<string> {
    const done = await this.fetch(await this.signInCallback(email));
    if (done.status !== 303) throw new Error(`the sign-in callback answered ${done.status}: ${await done.text()}`);
    return this.userId();
  }

  async userId(): Promise<string> {
    const session = await this.fetch('/api/v1/session');
    if (session.status !== 200) throw new Error(`/api/v1/session answered ${session.status}`);
    return ((await session.json()) as { user_id: string }).user_id;
  }

  /** Starts a consent and approves it at Amazon; returns the callback URL (not yet opened). */
  async consentCallback(sellingPartnerId?: string): Promise<string> {
    const start = await this.fetch('/connect');
    if (start.status !== 302) throw new Error(`/connect answered ${start.status}`);
    const approved = await this.submit(new URL(start.headers.get('location') ?? ''), (form) => {
      if (sellingPartnerId) form.set('selling_partner_id', sellingPartnerId);
    });
    if (approved.status !== 302) throw new Error(`Amazon's consent answered ${approved.status}`);
    return approved.headers.get('location') ?? '';
  }

  /** Consent and callback: the seller's partner is linked and phase 1 starts. */
  async connect(sellingPartnerId?: string): Promise<void> {
    const done = await this.fetch(await this.consentCallback(sellingPartnerId));
    if (done.status !== 303) throw new Error(`the consent callback answered ${done.status}: ${await done.text()}`);
  }

  /** The cookie header a plain fetch needs to act as this browser. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}
