// The simulator's consent and sign-in pages: plain HTML, every inserted value escaped, and the
// redirect_uri check both pages share.
import type { FastifyReply } from 'fastify';

export function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Sends one simulated Amazon page; `title` names which Amazon site it stands for. */
export function sendPage(reply: FastifyReply, title: string, status: number, body: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .send(`<!doctype html><html><head><meta charset="utf-8"><title>${html(title)} (simulated)</title></head><body style="font-family:sans-serif;max-width:36em;margin:3em auto">${body}</body></html>`);
}

/** An http(s) URL, as Amazon's consent and sign-in pages require of a redirect_uri. */
export function isHttpUrl(text: string | undefined): text is string {
  if (!text) return false;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
