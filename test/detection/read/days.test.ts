import { describe, expect, it } from 'vitest';
import { formatDay, parseDay } from '../../../src/detection/index.js';

const asText = (text: string) => {
  const day = parseDay(text);
  return day === undefined ? undefined : formatDay(day);
};

describe('dates as Amazon writes them', () => {
  it('a timestamp counts on the calendar day written, whatever its offset', () => {
    expect(asText('2026-10-01T23:30:00-07:00')).toBe('2026-10-01');
    expect(asText('2026-10-01T00:30:00+09:00')).toBe('2026-10-01');
    expect(asText('2026-10-01T12:00:00Z')).toBe('2026-10-01');
    expect(asText('2026-10-01T12:00:00.123+0000')).toBe('2026-10-01');
    expect(asText('2026-10-01 08:00:00 PDT')).toBe('2026-10-01');
    expect(asText('2026-10-01')).toBe('2026-10-01');
  });

  it('reads the ledger download’s MM/DD/YYYY', () => {
    expect(asText('10/05/2026')).toBe('2026-10-05');
    expect(asText('1/5/2026')).toBe('2026-01-05');
    expect(asText('02/29/2028')).toBe('2028-02-29');
  });

  it('refuses impossible dates instead of rolling them over', () => {
    for (const bad of ['02/30/2026', '13/01/2026', '2026-02-29', '2026-04-31T10:00:00Z', '2026-10-01T25:00:00Z', 'yesterday', '']) {
      expect(asText(bad), bad).toBeUndefined();
    }
  });
});
