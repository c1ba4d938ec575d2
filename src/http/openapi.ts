// What the OpenAPI document (/docs/json) says beyond each route's own schema, decided in one
// place so a new route cannot forget it: the declared tags, the server, the error answers every
// route can give (in the one error format, a shared component), and which routes need no token.
import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { ZodType } from 'zod';
import { ErrorBody } from './schemas.js';

declare module 'fastify' {
  interface FastifySchema {
    /**
     * For the document only: success answers without a JSON body (a redirect, a file), by status,
     * with their media type when they have a body.
     */
    answers?: Readonly<Record<number, { readonly description: string; readonly type?: string }>>;
  }
}

/** Every tag a route may use, with what it groups. A route with another tag fails the document's test. */
export const TAGS = [
  { name: 'workflow', description: "Trigger phases and follow a seller's sync runs, events and audit log." },
  { name: 'webhooks', description: "Phase-completion triggers the seed documents' callers send (each starts the next phase)." },
  { name: 'connect', description: 'Browser flows: sign in with Amazon and connect an Amazon seller account.' },
  { name: 'sellers', description: "A seller's own settings, such as unit costs." },
  { name: 'claims', description: "A paid claim's proof packet." },
  { name: 'filings', description: 'Cases Clario prepared or filed with Amazon.' },
  { name: 'reminders', description: 'What a person must do by when: deadlines near, cases to follow up, rejected cases to reopen; and where reminders are e-mailed.' },
  { name: 'evidence', description: 'Supplier invoices and proofs of delivery that back claims.' },
  { name: 'prompts', description: 'Smart prompts: what Clario asks a seller to confirm or upload.' },
  { name: 'dashboard', description: "What the dashboard reads: the session, claims, and a seller's money." },
  { name: 'billing', description: "Fees, statements and Stripe's webhooks." },
  { name: 'learning', description: "The learning model's approval estimates." },
  { name: 'subscriptions', description: "Signed webhooks of the workflow's events to a subscriber's endpoint." },
  { name: 'operations', description: 'Probes, metrics, parked events, queue state and checks for the operator.' },
] as const;

/** What each documented error status means; the body is always the shared Error schema. */
const ERROR_MEANING: Record<number, string> = {
  400: 'The request is not valid (`details` says which part, when known).',
  401: 'No token, or a token that is not valid.',
  403: "The token may not do this: another seller's data, or an operator-only action.",
  404: "No such resource (or not the caller's).",
  409: 'It conflicts with the current state (a reused idempotency key, an event that is not parked, something already answered).',
  413: 'The request body is too large.',
  414: 'A path parameter is longer than the server takes.',
  415: 'The content type is not accepted.',
  422: 'The request is well formed but cannot be done (e.g. it names an ambiguous case).',
  429: "Too many requests: wait for the Retry-After header's seconds.",
  503: 'A dependency is not available; try again later.',
};

function errorResponse(status: number) {
  return { description: ERROR_MEANING[status] ?? 'An error, in the error format.', content: { 'application/json': { schema: ErrorBody } } };
}

/** What decides a route's general error answers. */
export interface RouteShape {
  readonly url: string;
  readonly method: string | readonly string[];
  readonly isPublic: boolean;
}

/**
 * The error answers a route can give, beside those it declares itself: any request can be
 * malformed (400) or rate limited (429); one that needs a token can lack it (401) or not be
 * allowed (403); one that names a resource in its path can miss it (404) or carry a path
 * parameter over the router's limit (414). Fastify reads a body sent with any method but GET and
 * HEAD, whether or not the route wants one, so those can be too large (413) or of a type no
 * parser takes (415).
 */
export function defaultErrorStatuses(route: RouteShape): number[] {
  const names = /\/:[^/]+/.test(route.url);
  const methods = typeof route.method === 'string' ? [route.method] : route.method;
  const readsBody = methods.some((m) => m !== 'GET' && m !== 'HEAD');
  return [400, ...(route.isPublic ? [] : [401, 403]), ...(names ? [404] : []), ...(readsBody ? [413] : []), ...(names ? [414] : []), ...(readsBody ? [415] : []), 429];
}

/**
 * Marks an operation whose body may be left out: @fastify/swagger marks every request body
 * required, and documentObject corrects it (the transform of a route cannot reach requestBody).
 */
const OPTIONAL_BODY = 'x-clario-optional-body';

/** The zod transform, after adding the error answers and `security: []` on public routes. */
export const documentRoute: SwaggerTransform = (input) => {
  if (!input.schema || input.schema.hide) return jsonSchemaTransform(input);
  const { answers, ...schema } = input.schema;
  const isPublic = input.route.config?.public === true;
  const declared = (schema.response ?? {}) as Record<string, unknown>;
  const response: Record<string, unknown> = {};
  for (const status of defaultErrorStatuses({ url: input.route.url, method: input.route.method, isPublic })) response[status] = errorResponse(status);
  for (const [status, body] of Object.entries(declared)) {
    // A route's own error statuses get the meaning and the shared schema too.
    response[status] = body === ErrorBody ? errorResponse(Number(status)) : body;
  }
  // A body schema that takes no body at all (`.nullish()`): a POST without one is answered.
  const optionalBody = schema.body instanceof ZodType && schema.body.safeParse(undefined).success;
  const out = jsonSchemaTransform({ ...input, schema: { ...schema, response, ...(isPublic ? { security: [] } : {}), ...(optionalBody ? { [OPTIONAL_BODY]: true } : {}) } });
  const responses = out.schema.response as Record<string, unknown>;
  for (const [status, answer] of Object.entries(answers ?? {})) {
    responses[status] = answer.type
      ? { description: answer.description, content: { [answer.type]: { schema: { type: 'string', format: 'binary' } } } }
      : { description: answer.description, type: 'null' };
  }
  // A route that declares no success answer still has one (its description says what it is).
  if (!Object.keys(responses).some((status) => status.startsWith('2') || status.startsWith('3'))) {
    responses[200] = { description: "Success: see the operation's description." };
  }
  return out;
};

/**
 * The zod component schemas, keeping only those the document references: the zod transform
 * emits each registered schema twice (`Error` for answers, `ErrorInput` for requests), and an
 * unused component is a lint warning.
 */
export const documentObject: SwaggerTransformObject = (input) => {
  const doc = jsonSchemaTransformObject(input) as { paths?: Record<string, Record<string, Record<string, unknown>>>; components?: { schemas?: Record<string, unknown> } };
  for (const operation of Object.values(doc.paths ?? {}).flatMap((ops) => Object.values(ops))) {
    if (!(OPTIONAL_BODY in operation)) continue;
    delete operation[OPTIONAL_BODY];
    if (operation.requestBody) operation.requestBody = { ...(operation.requestBody), required: false };
  }
  const schemas = doc.components?.schemas;
  if (schemas) {
    // Referenced from the paths, or from a schema so referenced.
    const used = new Set<string>();
    let text = JSON.stringify({ ...doc, components: { ...doc.components, schemas: {} } });
    for (let grew = true; grew; ) {
      grew = false;
      for (const name of Object.keys(schemas)) {
        if (used.has(name) || !text.includes(`"#/components/schemas/${name}"`)) continue;
        used.add(name);
        text += JSON.stringify(schemas[name]);
        grew = true;
      }
    }
    for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
  }
  return doc;
};

/** The server the document's paths are relative to: PUBLIC_URL when set, else this server. */
export function documentServers(publicUrl: string | undefined): Array<{ url: string; description: string }> {
  return publicUrl
    ? [{ url: publicUrl.replace(/\/+$/, ''), description: 'This Clario (PUBLIC_URL)' }]
    : [{ url: '/', description: 'This Clario (the host that served this document)' }];
}
