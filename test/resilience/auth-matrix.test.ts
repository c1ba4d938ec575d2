import { expect, it } from 'vitest';
import { authMatrix } from '../../resilience/scenarios/auth-matrix.js';
import { describeWithPostgres } from '../support/infra.js';
import { smokeContext } from './support.js';

describeWithPostgres('the authorization matrix over every endpoint of the OpenAPI document', () => {
  it('gives every caller the expected answer', async () => {
    const r = await authMatrix(smokeContext(1));
    expect(r.violations).toEqual([]);
    expect(r.figures.endpoints).toBeGreaterThanOrEqual(23);
  });
});
