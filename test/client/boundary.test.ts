// The client is imported by other services: it must load no server code (fastify, pg, …), only
// zod, pure domain modules and node built-ins. Walks the static import graph from its entry.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function importGraph(entry: string) {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    // Type-only imports are erased at build time, so they load nothing.
    for (const m of source.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)) {
      const spec = m[1] ?? '';
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(resolve(root, entry));
  return { files: [...files].map((f) => relative(root, f)), packages: [...packages] };
}

describe('clario/client', () => {
  it('loads only zod, domain modules, the shared schemas and node built-ins', () => {
    const { files, packages } = importGraph('src/client/index.ts');
    for (const f of files) expect(f).toMatch(/^src\/(client\/|domain\/|http\/schemas\.ts$)/);
    for (const p of packages) expect(p).toMatch(/^(zod$|node:)/);
    expect(files).toContain('src/http/schemas.ts');
  });
});
