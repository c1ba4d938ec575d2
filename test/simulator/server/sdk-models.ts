// Checks a JSON answer against the models of Amazon's official JS SDK. The SDK ships no schema
// file, only classes generated from Amazon's published API models; their source still says
// everything a schema would: the constructor takes the required properties, `constructFromObject`
// names each wire property with its type, a `<Property>Enum` static lists an inline enum's
// values, and an enum model is an object of its values. So the schema is read from that source.

/** One generated API module of the SDK (e.g. `Fulfillmentinbound_v0SpApi`): model name → class. */
export type SdkModule = Readonly<Record<string, unknown>>;

type Type =
  | { readonly kind: 'String' | 'Number' | 'Integer' | 'Boolean' | 'Date' | 'Object' }
  | { readonly kind: 'array'; readonly of: Type }
  | { readonly kind: 'map'; readonly of: Type }
  | { readonly kind: 'model'; readonly name: string };

interface Property {
  readonly wire: string;
  readonly type: Type;
  /** An inline enum's values (`Report.ProcessingStatusEnum`), when the property has one. */
  readonly values?: readonly string[];
}

type Model =
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'object'; readonly required: readonly string[]; readonly properties: ReadonlyMap<string, Property> };

const PROPERTY = /if \(data\.hasOwnProperty\('([^']+)'\)\) \{ obj\.(\w+) = (.+) \}\s*$/gm;
const PRIMITIVES = new Set(['String', 'Number', 'Integer', 'Boolean', 'Date', 'Object']);

/** The type argument of `convertToType` ('String', [Model], { String: 'String' }) or a bare model name. */
function parseType(text: string): Type {
  const t = text.trim();
  const quoted = /^'(\w+)'$/.exec(t);
  if (quoted) {
    if (!PRIMITIVES.has(quoted[1]!)) throw new Error(`unknown SDK primitive type ${t}`);
    return { kind: quoted[1] as 'String' };
  }
  if (t.startsWith('[') && t.endsWith(']')) return { kind: 'array', of: parseType(t.slice(1, -1)) };
  const map = /^\{\s*String:\s*(.+?)\s*\}$/.exec(t);
  if (map) return { kind: 'map', of: parseType(map[1]!) };
  if (/^\w+$/.test(t)) return { kind: 'model', name: t };
  throw new Error(`unreadable SDK type ${t}`);
}

function propertyType(expression: string): Type {
  const convert = /^ApiClient\.convertToType\(data\.\w+, (.+)\)$/.exec(expression);
  if (convert) return parseType(convert[1]!);
  const nested = /^(\w+)\.constructFromObject\(data\.\w+\)$/.exec(expression);
  if (nested) return { kind: 'model', name: nested[1]! };
  throw new Error(`unreadable SDK property ${expression}`);
}

function stringValues(o: object): string[] {
  return Object.values(o).filter((v): v is string => typeof v === 'string');
}

const cache = new WeakMap<object, Model>();

function modelOf(sdk: SdkModule, name: string): Model {
  const cls = sdk[name];
  if (typeof cls !== 'function') throw new Error(`the SDK module has no model ${name}`);
  const known = cache.get(cls);
  if (known) return known;
  const source = Function.prototype.toString.call(cls);
  let model: Model;
  if (!source.startsWith('class')) {
    // An enum model: Object.assign(function () {}, { VALUE: 'VALUE', ..., constructFromObject }).
    model = { kind: 'enum', values: stringValues(cls) };
  } else {
    const camelToWire = new Map<string, Property>();
    for (const m of source.matchAll(PROPERTY)) {
      const [, wire, camel, expression] = m as unknown as [string, string, string, string];
      const inline = (cls as unknown as Record<string, unknown>)[`${camel[0]!.toUpperCase()}${camel.slice(1)}Enum`];
      camelToWire.set(camel, { wire, type: propertyType(expression), ...(inline && typeof inline === 'object' ? { values: stringValues(inline) } : {}) });
    }
    const params = /constructor \(([^)]*)\)/.exec(source)?.[1] ?? '';
    const required = params.split(',').map((p) => p.trim()).filter((p) => p !== '').map((camel) => {
      const property = camelToWire.get(camel);
      if (!property) throw new Error(`${name}: required ${camel} has no wire name`);
      return property.wire;
    });
    model = { kind: 'object', required, properties: new Map([...camelToWire.values()].map((p) => [p.wire, p])) };
  }
  cache.set(cls, model);
  return model;
}

/** The model's name as the SDK's class or enum object calls itself. */
export function modelName(sdk: SdkModule, model: unknown): string {
  const found = Object.entries(sdk).find(([, v]) => v === model);
  if (!found) throw new Error('the return type is not a model of this SDK module');
  return found[0];
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Every way `value` departs from model `name` of `sdk`: a missing required property, a wrong
 * type, a value outside an enum, a property the model does not have. Empty when it conforms.
 */
export function violations(sdk: SdkModule, name: string, value: unknown, path = name): string[] {
  return check(sdk, { kind: 'model', name }, value, path, undefined);
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function check(sdk: SdkModule, type: Type, value: unknown, path: string, values: readonly string[] | undefined): string[] {
  const wrong = (expected: string) => [`${path}: expected ${expected}, got ${describe(value)} ${JSON.stringify(value)?.slice(0, 60)}`];
  switch (type.kind) {
    case 'String':
      if (typeof value !== 'string') return wrong('a string');
      return values && !values.includes(value) ? [`${path}: ${JSON.stringify(value)} is not one of ${values.join(', ')}`] : [];
    case 'Number':
      return typeof value === 'number' && Number.isFinite(value) ? [] : wrong('a number');
    case 'Integer':
      return Number.isInteger(value) ? [] : wrong('an integer');
    case 'Boolean':
      return typeof value === 'boolean' ? [] : wrong('a boolean');
    case 'Date':
      return typeof value === 'string' && ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) ? [] : wrong('an ISO 8601 date-time');
    case 'Object':
      return value !== null && typeof value === 'object' ? [] : wrong('an object');
    case 'array':
      if (!Array.isArray(value)) return wrong('an array');
      return value.flatMap((v, i) => check(sdk, type.of, v, `${path}[${i}]`, undefined));
    case 'map':
      if (!isRecord(value)) return wrong('an object');
      return Object.entries(value).flatMap(([k, v]) => check(sdk, type.of, v, `${path}.${k}`, undefined));
    case 'model': {
      const model = modelOf(sdk, type.name);
      if (model.kind === 'enum') {
        return typeof value === 'string' && model.values.includes(value) ? [] : [`${path}: ${JSON.stringify(value)} is not a ${type.name} (${model.values.join(', ')})`];
      }
      if (!isRecord(value)) return wrong(`a ${type.name} object`);
      const out: string[] = [];
      for (const wire of model.required) if (value[wire] === undefined) out.push(`${path}: required ${wire} is missing (${type.name})`);
      for (const [key, v] of Object.entries(value)) {
        const property = model.properties.get(key);
        if (!property) out.push(`${path}: ${key} is not a property of ${type.name}`);
        else out.push(...check(sdk, property.type, v, `${path}.${key}`, property.values));
      }
      return out;
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
