import { expect, it } from 'vitest';
import { badInput } from '../../resilience/scenarios/bad-input.js';
import { describeWithPostgres } from '../support/infra.js';
import { smokeContext } from './support.js';

describeWithPostgres('bad input on every endpoint, the WebSocket and the report readers (smoke)', () => {
  it('answers with a 4xx in the error format, never a 5xx, and never stops answering', async () => {
    const r = await badInput(smokeContext(0.1));
    expect(r.violations).toEqual([]);
    expect(r.figures).toMatchObject({ status_5xx: 0, crashes: 0 });
    expect(r.figures.requests).toBeGreaterThan(300);
    // [edge] Issue 14's attacks on the edge ran, and each was refused.
    const edge = r.figures.edge_attacks as { attacks: number; refused_as_expected: number; websocket_over_cap_refused: number; half_open: { sent: number; closed: number } };
    expect(edge.refused_as_expected).toBe(edge.attacks);
    expect(edge.websocket_over_cap_refused).toBe(5);
    expect(edge.half_open.closed).toBe(edge.half_open.sent);
  }, 160_000);
});
