import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../../src/config/config.js';

describe('the README', () => {
  const readme = readFileSync('README.md', 'utf8');
  it('documents every configuration variable the service reads', () => {
    expect(CONFIG_KEYS.length).toBeGreaterThan(10);
    for (const key of CONFIG_KEYS) expect(readme, key).toMatch(new RegExp(`\\| [^|]*\`${key}\``));
  });

  it('shows the two commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});
