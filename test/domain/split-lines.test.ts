import { describe, expect, it } from 'vitest';
import { LineSplitter, type SplitLine } from '../../src/domain/split-lines.js';

function split(chunks: readonly string[], max: number): SplitLine[] {
  const s = new LineSplitter(max);
  const out: SplitLine[] = [];
  for (const c of chunks) s.push(c, out);
  s.end(out);
  return out;
}

describe('the line splitter', () => {
  it('splits chunks into lines, joining lines cut across chunks and dropping \\r\\n endings', () => {
    expect(split(['a,b\r\nc', 'd\ne', 'f'], 10)).toEqual(['a,b', 'cd', 'ef']);
    expect(split(['x\n', '\n', 'y\n'], 10)).toEqual(['x', '', 'y']);
  });

  it('turns an over-long line into a marker at its place, and carries on with the lines after it', () => {
    const out = split(['head\n', 'a'.repeat(8), 'a'.repeat(8), 'a'.repeat(8), '\nnext\r\n', 'last'], 10);
    expect(out).toEqual(['head', { tooLong: true, length: 24 }, 'next', 'last']);
  });

  it('never holds more than the bound of an endless line: a chunk-fed line of any length is only counted', () => {
    const s = new LineSplitter(16);
    const out: SplitLine[] = [];
    const chunk = 'a'.repeat(1 << 16);
    for (let i = 0; i < 1024; i++) s.push(chunk, out); // 64 Mi characters, no newline
    expect(out).toEqual([]);
    expect((s as unknown as { rest: string }).rest.length).toBeLessThanOrEqual(17);
    s.end(out);
    expect(out).toEqual([{ tooLong: true, length: 1024 * (1 << 16) }]);
  });

  it('keeps a line exactly at the bound, with or without \\r', () => {
    expect(split(['abcd\r', '\nabcd'], 4)).toEqual(['abcd', 'abcd']);
    expect(split(['abcde\n'], 4)).toEqual([{ tooLong: true, length: 5 }]);
  });
});
