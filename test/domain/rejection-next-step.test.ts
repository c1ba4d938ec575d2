// What a rejected claim's page tells the seller: Amazon's reason in plain words, and what Clario
// does next, following the claim as it moves on after the rejection.
import { describe, expect, it } from 'vitest';
import { REJECTION_CODES, REJECTION_REASONS, rejectionNextStep } from '../../src/domain/rejection.js';

const step = (code: string, claimStatus: string, rawText: string | null = null, claimType = 'lost_warehouse') =>
  rejectionNextStep({ code, rawText, claimType, claimStatus });

describe('the next step after a rejection', () => {
  it('names every reason in the taxonomy', () => {
    for (const code of REJECTION_CODES) expect(REJECTION_REASONS[code]).toMatch(/\w/);
  });

  it('asks for exactly the document Amazon wants, and says the claim is filed again', () => {
    expect(step('missing_proof_of_ownership', 'prompted')).toBe(
      'Clario asks you for the supplier invoice (see Smart prompts); once you upload it, Clario files the claim again.',
    );
    expect(step('insufficient_information', 'prompted', 'Please provide proof of delivery (POD).', 'inbound_shortage')).toContain('the proof of delivery (see Smart prompts)');
    expect(step('insufficient_information', 'prompted', 'Please provide the invoice and the carrier tracking number.')).toContain('the supplier invoice and the proof of delivery');
  });

  it('says the claim is closed when filing again cannot help', () => {
    for (const code of ['outside_window', 'already_reimbursed', 'units_found']) expect(step(code, 'rejected')).toMatch(/^Clario closed the claim/);
  });

  it('keeps an unreadable answer for a person', () => {
    expect(step('other', 'rejected')).toMatch(/for a person to read/);
    expect(step('something_new', 'rejected')).toMatch(/for a person to read/);
  });

  it('follows the claim once it moved on', () => {
    expect(step('missing_proof_of_ownership', 'ready')).toMatch(/files the claim again in its next filing slot/);
    expect(step('missing_proof_of_ownership', 'filed')).toMatch(/filed the claim again/);
    expect(step('already_reimbursed', 'paid')).toMatch(/paid this claim after all/);
    expect(step('insufficient_information', 'dismissed')).toMatch(/You dismissed/);
  });

  it('on the manual channel, points to the reply on the same case that Clario prepared', () => {
    const said = rejectionNextStep({ code: 'missing_proof_of_ownership', rawText: null, claimType: 'lost_warehouse', claimStatus: 'ready', reopensCaseId: '17400000001' });
    expect(said).toMatch(/^Clario prepared your reply on case 17400000001 .*File today.*record it\.$/);
  });
});
