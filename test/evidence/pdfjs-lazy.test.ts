import { expect, it } from 'vitest';

// pdfjs's legacy build replaces Array.prototype.push (core-js, on Node 20's V8) in whatever thread
// loads it; a process that reads no PDF must keep the native one.
it('starting the service loads no pdfjs: the built-ins stay native', async () => {
  const push = Array.prototype.push;
  await import('../../src/main.js');
  expect(Array.prototype.push).toBe(push);
});
