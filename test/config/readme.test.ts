import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { dispatch } from '../../src/cli/parse.js';
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

  it('shows only clario command lines the command line accepts', async () => {
    // `npx clario …` in code and inline code; [optional] parts are dropped, placeholders kept.
    const lines = [...readme.matchAll(/npx clario ([^`\n#)]*)/g)].map((m) => (m[1] ?? '').replace(/\[[^\]]*\]/g, '').trim())
      .filter((line) => !/^[A-Z]/.test(line)); // `npx clario COMMAND --help`: a placeholder for any
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines) {
      const ran: string[] = [];
      const commands = COMMANDS.map((c) => ({ ...c, run: () => (ran.push(c.name), Promise.resolve(0)) }));
      const err = new PassThrough();
      let stderr = '';
      err.on('data', (b: Buffer) => (stderr += b.toString()));
      const code = await dispatch(commands, line.split(/\s+/).filter(Boolean), { stdout: new PassThrough(), stderr: err }, '0');
      expect({ line, code, stderr }).toEqual({ line, code: 0, stderr: '' });
      expect(ran.length + (line.includes('--help') || line === '' ? 1 : 0), line).toBe(1);
    }
  });
});
