// docs/detection.md shows one claim as `clario detect` prints it for the repository's test folder:
// the example must be what the command prints, field for field and in its order.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detection/index.js';
import { claimToJsonLine } from '../../src/detection/format.js';

const DOC = fileURLToPath(new URL('../../docs/detection.md', import.meta.url));
const FOLDER = fileURLToPath(new URL('../detection/fixtures/seller-a', import.meta.url));

describe('the claim example in docs/detection.md', () => {
  it('is the line clario detect prints for the test folder', async () => {
    const text = readFileSync(DOC, 'utf8');
    const section = text.slice(text.indexOf('### What comes out'));
    const block = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block, 'a json block under "What comes out"').toBeDefined();
    const shown = JSON.parse(block!) as { key: unknown };
    const { claims } = await detect(FOLDER, { asOf: '2026-11-22' });
    const printed = claims.map((c) => claimToJsonLine(c)).find((line) => JSON.stringify((JSON.parse(line) as { key: unknown }).key) === JSON.stringify(shown.key));
    // The same text once the example's wrapping is undone: same fields, same order.
    expect(JSON.stringify(shown)).toBe(printed);
  });
});
