// The browser binding of a sign-in or consent: a random value in an HttpOnly cookie, whose hash
// is stored with the OAuth state. A callback is only completed by the browser holding it, so a
// callback link sent to, or opened by, someone else does nothing.
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashOf } from './oauth-states.js';

export const BINDING_COOKIE = 'clario_oauth';
const VALUE = /^[A-Za-z0-9_-]{43}$/;

/** The browser's binding (set now if it has none) and its hash for the state. */
export function bindBrowser(request: FastifyRequest, reply: FastifyReply, cookie: { secure: boolean; maxAgeSeconds: number }): string {
  const held = request.cookies[BINDING_COOKIE];
  // Kept when present, so two tabs signing in or connecting at once both complete.
  const value = held && VALUE.test(held) ? held : randomBytes(32).toString('base64url');
  void reply.setCookie(BINDING_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: cookie.secure, path: '/', maxAge: cookie.maxAgeSeconds });
  return hashOf(value);
}

/** The hash of the binding this browser presents, or a value no state holds when it has none. */
export function browserHashOf(request: FastifyRequest): string {
  const held = request.cookies[BINDING_COOKIE];
  return held && VALUE.test(held) ? hashOf(held) : 'none';
}
