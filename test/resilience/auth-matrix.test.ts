import { expect, it } from 'vitest';
import { authMatrix } from '../../resilience/scenarios/auth-matrix.js';
import { describeWithPostgres } from '../support/infra.js';
import { smokeContext } from './support.js';

describeWithPostgres('the authorization matrix over every endpoint of the OpenAPI document', () => {
  it('gives every caller the expected answer', async () => {
    const r = await authMatrix(smokeContext(1));
    expect(r.violations).toEqual([]);
    expect(r.figures.endpoints).toBeGreaterThanOrEqual(23);
    // The who-is-who attacks ran, each with its expected answer (resilience/scenarios/auth-attacks.ts).
    const attacks = r.figures.attacks as Record<string, string>;
    expect(attacks['edited selling_partner_id (another account\'s) → status']).toBe('409');
    expect(attacks['consent callback from another browser → status']).toBe('400');
    expect(attacks['cookie token after sign-out → /ws status']).toBe('401');
    expect(attacks['refreshed page token past the absolute lifetime → HTTP status']).toBe('401');
    expect(Object.keys(attacks).length).toBeGreaterThanOrEqual(17);
  });
});
