// Every HTTP endpoint, read from Clario's own OpenAPI document (so a new route is covered the day
// it lands), with a valid request for each: path parameters filled in, a body made from the JSON
// schema. The authorization matrix and the fuzzer both start from this list.
export interface Endpoint {
  readonly method: string;
  /** As OpenAPI writes it: /api/v1/workflow/status/{user_id} */
  readonly template: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly bodySchema: unknown;
  readonly contentType: string | undefined;
}

export async function listEndpoints(url: string, token: string): Promise<Endpoint[]> {
  const res = await fetch(`${url}/docs/json`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET /docs/json answered ${res.status}`);
  const doc = (await res.json()) as { paths: Record<string, Record<string, any>> };
  const out: Endpoint[] = [];
  for (const [template, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? []) as Array<{ in: string; name: string }>;
      const content = op.requestBody?.content as Record<string, { schema?: unknown }> | undefined;
      const contentType = content ? Object.keys(content)[0] : undefined;
      out.push({
        method: method.toUpperCase(),
        template,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        bodySchema: contentType ? content?.[contentType]?.schema : undefined,
        contentType,
      });
    }
  }
  return out;
}

/** Values a valid request needs that a schema cannot say (a known seller, a real currency). */
const HINTS: Record<string, unknown> = {
  user_id: 'alice',
  currency: 'USD',
  url: 'https://example.com/clario-hook',
  event_types: ['workflow.phase'],
  amount_minor: 1250,
  claim_id: 'matrix-claim',
  case_id: 'matrix-case',
  payout_id: 'matrix-payout',
};

/** A value that satisfies `schema` (JSON Schema as the OpenAPI document has it). */
export function example(schema: any, name = ''): unknown {
  if (!schema || typeof schema !== 'object') return undefined;
  if (name in HINTS) return HINTS[name];
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const alternatives = (schema.anyOf ?? schema.oneOf) as any[] | undefined;
  if (alternatives) return example(alternatives.find((a) => a?.type !== 'null') ?? alternatives[0], name);
  if (schema.allOf) return Object.assign({}, ...(schema.allOf as any[]).map((s) => example(s, name)));
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, unknown>;
      const required = new Set<string>(schema.required ?? []);
      return Object.fromEntries(Object.entries(props).filter(([k]) => required.has(k) || k in HINTS).map(([k, s]) => [k, example(s, k)]));
    }
    case 'string':
      if (schema.format === 'uri') return 'https://example.com/x';
      if (schema.format === 'email') return 'alice@example.com';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return schema.minItems ? [example(schema.items)] : [];
    default:
      return {};
  }
}

/** The endpoint's path with its parameters filled in from `values` (unknown names get "x"). */
export function fillPath(e: Endpoint, values: Record<string, string>): string {
  return e.template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? 'x'));
}
