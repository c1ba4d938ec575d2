// `npm install` on the Node this project supports prints no engine warning: no package in the
// lock file declares an `engines.node` range that leaves out the running Node or the project's
// own floor (package.json `engines`). An override in package.json pins one that would.
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface LockEntry {
  readonly engines?: { readonly node?: unknown } | readonly string[];
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string }; license: string };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };

/** Every locked package whose engines.node range excludes `version`. */
function excluding(version: string): string[] {
  return Object.entries(lock.packages).flatMap(([path, entry]) => {
    const range = entry.engines && !Array.isArray(entry.engines) ? (entry.engines as { node?: unknown }).node : undefined;
    if (path === '' || typeof range !== 'string') return [];
    return semver.satisfies(version, range, { includePrerelease: true }) ? [] : [`${path} wants node ${range}`];
  });
}

describe('engines', () => {
  const floor = semver.minVersion(pkg.engines.node)?.version ?? '';

  it('supports the Node the project says it needs, and the one running', () => {
    expect(floor).toMatch(/^20\./);
    expect(semver.satisfies(process.version, pkg.engines.node)).toBe(true);
    expect(readFileSync('.nvmrc', 'utf8').trim()).toBe(String(semver.major(floor)));
  });

  it('has no locked package that refuses the running Node', () => {
    expect(excluding(process.version)).toEqual([]);
  });

  it('has no locked package that refuses the lowest Node the project supports', () => {
    expect(excluding(floor)).toEqual([]);
  });

  it('ships the licence its package.json names', () => {
    expect(pkg.license).toBe('MIT');
    expect(readFileSync('LICENSE', 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} Clario contributors\n/);
  });
});
