// The few HTML pages a browser flow ends on when it cannot go on: what happened, and what to do.
import type { FastifyReply, FastifyRequest } from 'fastify';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Whether the caller is a browser, which asks for HTML (`Accept: text/html`): it gets a page.
 * Any other caller gets a refusal in the API's error format instead.
 */
export function wantsPage(request: FastifyRequest): boolean {
  return /\btext\/html\b/i.test(request.headers.accept ?? '');
}

/** `paragraphs` are HTML already (escape what came from outside with escapeHtml). */
export function flowPage(reply: FastifyReply, status: number, title: string, paragraphs: readonly string[]): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    // No script, no frames around it, and forms post only back to Clario (the confirm button).
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
    .header('x-frame-options', 'DENY')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Clario</title></head>` +
        `<body style="font-family:sans-serif;max-width:36em;margin:3em auto"><h1>${escapeHtml(title)}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}` +
        `<p><a href="/">Back to the dashboard</a></p></body></html>`,
    );
}
