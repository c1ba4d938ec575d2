import { normalizeHeader } from './columns.js';

/** One element of a wanted array, with the line its object starts on. */
export interface JsonItem {
  /** The canonical name of the array it came from. */
  readonly list: string;
  readonly value: unknown;
  readonly line: number;
}

/** The file is not JSON (or ends early): nothing after this point can be trusted. */
export class JsonStructureError extends Error {
  override readonly name = 'JsonStructureError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

interface Frame {
  readonly kind: '{' | '[';
  key: string;
  /** For an array: the canonical name of a wanted list, whose object elements are captured. */
  readonly list: string | undefined;
}

const NUMBER_CHAR = /[0-9eE.+-]/;
/** What may stand outside strings between the structure: a number or a literal. */
const BARE_CHAR = /[0-9A-Za-z.+-]/;
const BARE_TOKEN = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/;
const WHITESPACE = /[ \t\r\n]/;

/**
 * Streams the object elements of the arrays named in `lists` (at any depth, names matched like
 * headers), each parsed on its own, so a file of any size never sits whole in memory. Numbers are
 * given as their literal text, never as floats, so that money stays exact. An element that does
 * not parse is reported through `onBadItem` and skipped; a broken structure throws.
 */
export async function* streamJsonLists(
  chunks: AsyncIterable<string> | Iterable<string>,
  lists: Readonly<Record<string, readonly string[]>>,
  onBadItem: (line: number, message: string) => void,
  /** An element longer than this (characters) is reported and skipped, never gathered whole. */
  maxItemLength: number = Infinity,
): AsyncGenerator<JsonItem[]> {
  const wanted = new Map<string, string>();
  for (const [canonical, names] of Object.entries(lists)) for (const n of names) wanted.set(normalizeHeader(n), canonical);

  const stack: Frame[] = [];
  let line = 1;
  let inString = false;
  let escaped = false;
  let lastString = '';
  let stringBuf = '';
  let seenAnything = false;
  // The element being captured: its text so far (numbers quoted), its depth, line and list.
  // `size` counts its characters; past maxItemLength its text is dropped (`parts` stays empty).
  let capture: { parts: string[]; size: number; depth: number; line: number; list: string } | undefined;
  const keep = (text: string): void => {
    if (!capture || capture.size > maxItemLength) return;
    capture.size += text.length;
    if (capture.size > maxItemLength) capture.parts = [];
    else capture.parts.push(text);
  };
  let inNumber = false;
  // Outside the captured elements: the number or literal being read, checked once it ends (not
  // parsed: what is not captured is only checked to be JSON, so a broken file cannot pass as an
  // empty one).
  let bare = '';
  const endBare = (): void => {
    if (bare === '') return;
    if (!BARE_TOKEN.test(bare)) throw new JsonStructureError(`unexpected ${JSON.stringify(bare.slice(0, 40))}`, line);
    bare = '';
  };

  for await (const chunk of chunks) {
    const out: JsonItem[] = [];
    let segStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as string;
      if (c === '\n') line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') {
          inString = false;
          if (!capture) lastString = stringBuf;
        } else if (!capture && stringBuf.length < 200) stringBuf += c;
        continue;
      }
      if (inNumber) {
        if (NUMBER_CHAR.test(c)) continue;
        keep(chunk.slice(segStart, i));
        keep('"');
        segStart = i;
        inNumber = false;
      }
      if (!capture) {
        const space = WHITESPACE.test(c);
        if (!space && seenAnything && stack.length === 0) throw new JsonStructureError('unexpected text after the JSON value', line);
        if (BARE_CHAR.test(c)) {
          bare += c;
          continue;
        }
        endBare();
        if (!space && !'{}[]:,"'.includes(c)) throw new JsonStructureError(`unexpected ${JSON.stringify(c)}`, line);
      }
      switch (c) {
        case '"':
          inString = true;
          stringBuf = '';
          break;
        case '{':
        case '[': {
          seenAnything = true;
          const parent = stack[stack.length - 1];
          const list = c === '[' && !capture && parent?.kind === '{' ? wanted.get(normalizeHeader(parent.key)) : undefined;
          if (c === '{' && !capture && parent?.kind === '{' && wanted.has(normalizeHeader(parent.key))) {
            onBadItem(line, `"${parent.key.slice(0, 80)}" is an object, not a list: its contents were not read`);
          }
          stack.push({ kind: c, key: '', list });
          if (c === '{' && !capture && parent?.list !== undefined) {
            capture = { parts: [], size: 0, depth: stack.length, line, list: parent.list };
            segStart = i;
          }
          break;
        }
        case '}':
        case ']': {
          const top = stack.pop();
          if (!top || (top.kind === '{') !== (c === '}')) throw new JsonStructureError(`unexpected "${c}"`, line);
          if (capture && stack.length < capture.depth) {
            keep(chunk.slice(segStart, i + 1));
            if (capture.size > maxItemLength) onBadItem(capture.line, `the element is longer than ${maxItemLength} characters`);
            else {
              const item = parseItem(capture.parts.join(''), capture.line, onBadItem);
              if (item !== undefined) out.push({ list: capture.list, value: item, line: capture.line });
            }
            capture = undefined;
          }
          break;
        }
        case ':': {
          const top = stack[stack.length - 1];
          if (top?.kind === '{') top.key = lastString;
          break;
        }
        default:
          if (capture && (c === '-' || (c >= '0' && c <= '9'))) {
            // Quote the literal: JSON.parse would turn 19.99 into a float.
            keep(chunk.slice(segStart, i));
            keep('"');
            segStart = i;
            inNumber = true;
          }
      }
    }
    if (capture) keep(chunk.slice(segStart));
    if (out.length > 0) yield out;
  }
  endBare();
  if (inString || stack.length > 0) throw new JsonStructureError('the JSON ends early (truncated file?)', line);
  if (!seenAnything) throw new JsonStructureError('the file holds no JSON object', line);
}

function parseItem(text: string, line: number, onBadItem: (line: number, message: string) => void): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    onBadItem(line, `not valid JSON: ${(err as Error).message}`);
    return undefined;
  }
}
