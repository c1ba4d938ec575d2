// COPY's text format, as copy-text.ts writes it for copy-merge.ts: read back by the format's own rules (PostgreSQL's
// documentation of COPY, "Text Format"), every row gives back exactly the fields written.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyText, escapeCopyText, UnstorableTextError } from '../../src/store/copy-text.js';

const BACKSLASH_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** A reader of COPY text format: rows end at newline, fields at tab, `\N` is NULL, `\.` ends. */
function readCopyText(data: string): Array<Array<string | null>> {
  const rows: Array<Array<string | null>> = [];
  for (const raw of data.split('\n')) {
    if (raw === '\\.') break;
    if (raw === '') continue;
    if (raw.includes('\r')) throw new Error('a bare carriage return in the data');
    rows.push(raw.split('\t').map((field) => {
      if (field === '\\N') return null;
      let out = '';
      for (let i = 0; i < field.length; i++) {
        const c = field[i] ?? '';
        if (c !== '\\') {
          out += c;
          continue;
        }
        const n = field[++i] ?? '';
        // Octal and hex escapes are left out: the writer never makes them, and `\` + digit reads as one.
        if (/[0-7x]/.test(n)) throw new Error(`a numeric escape \\${n} in the data`);
        out += BACKSLASH_ESCAPES[n] ?? n;
      }
      return out;
    }));
  }
  return rows;
}

describe('COPY text format', () => {
  it('escapes what the format gives a meaning', () => {
    expect(escapeCopyText('a\tb')).toBe('a\\tb');
    expect(escapeCopyText('one\ntwo\r\n')).toBe('one\\ntwo\\r\\n');
    expect(escapeCopyText('C:\\dir\\n')).toBe('C:\\\\dir\\\\n');
    expect(escapeCopyText('\\.')).toBe('\\\\.');
    expect(escapeCopyText('\\N')).toBe('\\\\N');
    expect(escapeCopyText('"quoted", it\'s ✓ 🧾')).toBe('"quoted", it\'s ✓ 🧾');
    expect(escapeCopyText('')).toBe('');
  });

  it('refuses a NUL, which PostgreSQL text cannot hold', () => {
    expect(() => escapeCopyText('a\u0000b')).toThrow(UnstorableTextError);
  });

  it('writes rows that read back as written, whatever the characters', () => {
    const field = fc.oneof(
      fc.string({ unit: fc.constantFrom('\\', '\t', '\n', '\r', '.', 'N', 'a', ',', '"', '\b', '7', 'x') }),
      fc.string({ unit: 'grapheme' }),
    ).filter((s) => !s.includes('\u0000'));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), field, field), { maxLength: 20 }), (rows) => {
        const data = copyText(rows);
        expect(data.endsWith('\n') || rows.length === 0).toBe(true);
        expect(readCopyText(data)).toEqual(rows.map(([n, a, b]) => [String(n), a, b]));
      }),
      { numRuns: 500 },
    );
  });
});
