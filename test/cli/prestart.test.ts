// `npm start` builds only when the build is not current (scripts/build-if-stale.ts).
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBuild, INPUTS, OUTPUTS, STAMP, staleBecause, unshareLinks } from '../../scripts/build-if-stale.js';

describe('whether npm start must build', () => {
  it('decides from the outputs, the stamp and the newest input', () => {
    expect(staleBecause({ newestInputMs: 5, stampMs: 10, missingOutputs: [] })).toBeUndefined();
    expect(staleBecause({ newestInputMs: 10, stampMs: 10, missingOutputs: [] })).toBeUndefined();
    expect(staleBecause({ newestInputMs: 11, stampMs: 10, missingOutputs: [] })).toBe('sources changed since the last build');
    expect(staleBecause({ newestInputMs: 5, stampMs: undefined, missingOutputs: [] })).toBe('no record of the last build');
    expect(staleBecause({ newestInputMs: 5, stampMs: 10, missingOutputs: ['dist/cli/main.js'] })).toBe('dist/cli/main.js missing');
  });

  describe('on a checkout', () => {
    const roots: string[] = [];
    afterEach(() => {
      for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
    });
    const at = (root: string, path: string, seconds: number, text = 'x') => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
      utimesSync(join(root, path), seconds, seconds);
    };
    /** A checkout whose inputs (and their folders) are all dated `seconds`. */
    const checkout = (seconds: number) => {
      const root = mkdtempSync(join(tmpdir(), 'clario-build-'));
      roots.push(root);
      at(root, 'src/main.ts', seconds);
      at(root, 'web/src/app.tsx', seconds);
      for (const f of INPUTS.filter((p) => p.includes('.'))) at(root, f, seconds);
      for (const d of ['src', 'web/src', 'web']) utimesSync(join(root, d), seconds, seconds);
      return root;
    };

    it('builds a fresh clone (no dist), skips a current build, and builds again after an edit', () => {
      const root = checkout(1_000);
      expect(checkBuild(root)).toBe(`${OUTPUTS.join(', ')} missing`);
      for (const o of OUTPUTS) at(root, o, 2_000);
      at(root, STAMP, 2_000, `${1_000_000}\n`);
      expect(checkBuild(root)).toBeUndefined();
      at(root, 'web/src/app.tsx', 3_000);
      expect(checkBuild(root)).toBe('sources changed since the last build');
    });

    it("gives a dist/ hard-linked from another checkout (cp -al) files of its own before building, so the other's build stays as it was", () => {
      const other = checkout(1_000);
      const root = checkout(1_000);
      at(other, 'dist/main.js', 2_000, 'the other build');
      at(other, 'dist/cli/main.js', 2_000, 'the other cli');
      mkdirSync(join(root, 'dist/cli'), { recursive: true });
      linkSync(join(other, 'dist/main.js'), join(root, 'dist/main.js'));
      linkSync(join(other, 'dist/cli/main.js'), join(root, 'dist/cli/main.js'));
      writeFileSync(join(root, 'dist/own.js'), 'not shared');

      expect(unshareLinks(join(root, 'dist'))).toBe(2);
      expect(statSync(join(root, 'dist/cli/main.js')).nlink).toBe(1);
      expect(readFileSync(join(root, 'dist/cli/main.js'), 'utf8')).toBe('the other cli');
      // What a build writes in place (as tsc does) now stays in this checkout.
      writeFileSync(join(root, 'dist/main.js'), 'this build');
      expect(readFileSync(join(other, 'dist/main.js'), 'utf8')).toBe('the other build');
      expect(unshareLinks(join(root, 'dist'))).toBe(0);
    });
  });
});
