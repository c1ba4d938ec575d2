// Input PostgreSQL cannot hold, refused at the edge: text with NUL (text and jsonb reject \u0000)
// or an unpaired UTF-16 surrogate (not valid UTF-8, so jsonb and the driver reject it), and JSON
// nested deeper than any caller needs (deep values overflow recursive code further in: hashing,
// validation, jsonb). Without these checks each of them reached the database and came back a 500.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

/** Deeper than any trigger, subscription or dashboard body needs; the limit is on arrays and objects. */
export const MAX_JSON_DEPTH = 32;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `s` cannot be stored as text, or undefined when it can. */
export function textProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'text may not contain NUL (\\u0000)';
  if (LONE_SURROGATE.test(s)) return 'text may not contain an unpaired UTF-16 surrogate';
  return undefined;
}

/**
 * The nesting depth of a JSON text, counted without parsing it, so that a megabyte of `[` is
 * refused in one linear pass instead of being built and then walked. Stops counting past `limit`.
 */
export function jsonDepthOver(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The first string (key or value) in a parsed value that cannot be stored, with its problem. */
export function valueProblem(value: unknown): string | undefined {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      const p = textProblem(v);
      if (p) return p;
    } else if (Array.isArray(v)) {
      stack.push(...(v as unknown[]));
    } else if (v && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        const p = textProblem(k);
        if (p) return p;
        stack.push(inner);
      }
    }
  }
  return undefined;
}

/**
 * Fastify's parser refuses a `__proto__` key, and a `constructor` key holding a `prototype` key
 * (prototype poisoning), with the same error as broken JSON: the caller was told its valid JSON
 * was not JSON.
 */
const POISONING_REFUSED = 'the body may not contain a "__proto__" key, nor a "constructor" key holding a "prototype" key';

/** Whether `text` is JSON; asked only once Fastify's parser refused it, to tell why. */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Replaces Fastify's JSON parser with one that bounds nesting and refuses unstorable text (still
 * Fastify's parser underneath: prototype poisoning stays refused), and checks path parameters and
 * the query string the same way before any route validates or looks them up.
 */
export function guardInput(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request: FastifyRequest, body: string | Buffer, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonDepthOver(text, MAX_JSON_DEPTH)) {
      done(new ApiError('invalid_request', `the body is nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    void parseJson(request, text, (err, parsed) => {
      if (err) return done(isJson(text) ? new ApiError('invalid_request', POISONING_REFUSED) : err, undefined);
      const problem = valueProblem(parsed);
      if (problem) return done(new ApiError('invalid_request', `the body is not valid: ${problem}`), undefined);
      done(null, parsed);
    });
  });
  app.addHook('preValidation', async (request) => {
    const problem = valueProblem(request.params) ?? valueProblem(request.query);
    if (problem) throw new ApiError('invalid_request', `the URL is not valid: ${problem}`);
    return Promise.resolve();
  });
}
