// What the smart prompts page says once a prompt is answered, without a browser: what happens to
// the claim now, in plain words, and what Clario still needs when it asks again.
import { describe, expect, it } from 'vitest';
import { answerSaid } from '../../web/src/lib/prompts.js';

describe('after answering a smart prompt', () => {
  it("says what Clario still needs when the claim is prompted again, from the new prompt's asks", () => {
    const nextAsks = [
      { need: 'upload_invoice', message: 'Upload the supplier invoice for 2 units of SKU-1 (claim worth $13.24): it proves you owned them.' },
      { need: 'dismiss', message: 'Dismiss the claim if it is wrong.' },
    ];
    expect(answerSaid({ claim: 'Lost warehouse', action: 'confirm', status: 'prompted', nextAsks })).toBe(
      'Lost warehouse: thanks, answered — Clario still needs: upload the supplier invoice for 2 units of SKU-1 (claim worth $13.24): it proves you owned them.',
    );
    expect(answerSaid({ claim: 'Lost warehouse', action: 'confirm', status: 'prompted', nextAsks: null })).toBe('Lost warehouse: thanks, answered — Clario still has a question about this claim: see its prompt.');
  });

  it('says what happens next otherwise, never "the claim is now prompted"', () => {
    expect(answerSaid({ claim: 'Lost warehouse', action: 'confirm', status: 'ready' })).toBe('Lost warehouse: thanks, answered — Clario files the claim in its next filing slot.');
    expect(answerSaid({ claim: 'Lost warehouse', action: 'dismiss', status: 'dismissed' })).toBe('Lost warehouse: dismissed — Clario will not file this claim.');
    expect(answerSaid({ claim: 'Lost warehouse', action: 'upload', status: 'held', waiting: 'Waiting for evidence: too doubtful to file as it stands.' })).toBe(
      'Lost warehouse: thanks, answered with your document — Waiting for evidence: too doubtful to file as it stands.',
    );
    expect(answerSaid({ claim: 'Fee overcharge', action: 'measure', status: 'filed' })).toBe('Fee overcharge: thanks, measured — the claim is now filed.');
  });
});
