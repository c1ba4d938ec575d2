import { describe, expect, it } from 'vitest';
import { ownOriginCheck } from '../../src/http/origins.js';

describe("Clario's own origin", () => {
  it('is PUBLIC_URL when set, and nothing else', () => {
    const own = ownOriginCheck({ publicUrl: 'https://clario.example.com/app', host: '0.0.0.0', port: () => 3001 });
    expect(own('https://clario.example.com', 'clario.example.com')).toBe(true);
    expect(own('http://clario.example.com', 'clario.example.com')).toBe(false);
    expect(own('https://evil.example', 'clario.example.com')).toBe(false);
    expect(own('http://127.0.0.1:3001', '127.0.0.1:3001')).toBe(false);
  });

  it('is the listen address otherwise, with every loopback spelling on loopback', () => {
    const own = ownOriginCheck({ publicUrl: undefined, host: '127.0.0.1', port: () => 3001 });
    for (const o of ['http://127.0.0.1:3001', 'http://localhost:3001', 'http://[::1]:3001']) expect(own(o, undefined), o).toBe(true);
    for (const o of ['http://127.0.0.1:3002', 'https://localhost:3001', 'http://evil.example:3001', 'null', undefined]) expect(own(o, undefined), String(o)).toBe(false);
  });

  it('on every interface without PUBLIC_URL, is at least the host the request was sent to', () => {
    const own = ownOriginCheck({ publicUrl: undefined, host: '0.0.0.0', port: () => 3001 });
    expect(own('http://10.0.0.5:3001', '10.0.0.5:3001')).toBe(true);
    expect(own('http://evil.example', '10.0.0.5:3001')).toBe(false);
  });
});
