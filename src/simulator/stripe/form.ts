// Stripe's request bodies: application/x-www-form-urlencoded with bracket notation
// (`metadata[payout_id]=P1`, `expand[0]=latest_charge`), decoded into nested objects and arrays.
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

/** Splits `a[b][0]` into ['a', 'b', '0']; undefined when the brackets are malformed. */
function pathOf(key: string): string[] | undefined {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!m?.[1]) return undefined;
  const rest = [...(m[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1] ?? '');
  return [m[1], ...rest];
}

export class FormError extends Error {
  override readonly name = 'FormError';
}

export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = pathOf(key);
    if (!path) throw new FormError(`Invalid parameter name: ${key}`);
    let node: FormObject | FormValue[] = root;
    for (let i = 0; i < path.length; i++) {
      const part = path[i] ?? '';
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(path[i + 1] ?? '');
      if (Array.isArray(node)) {
        const index = part === '' ? node.length : Number(part);
        if (last) node[index] = value;
        else node = (node[index] ??= nextIsIndex ? [] : {}) as FormObject | FormValue[];
      } else {
        if (part === '') throw new FormError(`Invalid parameter name: ${key}`);
        if (last) node[part] = value;
        else node = (node[part] ??= nextIsIndex ? [] : {}) as FormObject | FormValue[];
      }
      if (!last && typeof node === 'string') throw new FormError(`Invalid parameter name: ${key}`);
    }
  }
  return root;
}

/** A string parameter, or undefined. */
export function str(form: FormObject, name: string): string | undefined {
  const v = form[name];
  return typeof v === 'string' ? v : undefined;
}

/** A flat string map (metadata), or an empty one. */
export function strings(form: FormObject, name: string): Record<string, string> {
  const v = form[name];
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
