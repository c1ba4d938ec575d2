// The trigger bodies of both seed documents, validated at the edge. Extra fields are kept (the
// seeds' callers send phase-specific metadata), known ones are checked.
import { z } from 'zod';
import { isCurrency } from '../domain/money.js';
import type { PhaseNumber } from '../domain/phase.js';

export const Id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:@|+-]+$/, 'letters, digits and . _ : @ | + - only');

const Base = z.looseObject({ user_id: Id, sync_id: Id.optional(), seller_id: Id.optional() });

const claimRef = { claim_id: Id.optional(), case_id: Id.optional() };
const needsClaimOrCase = (b: { claim_id?: string | undefined; case_id?: string | undefined }) => Boolean(b.claim_id ?? b.case_id);
const claimOrCase = { message: 'claim_id or case_id is required', path: ['claim_id'] };

export const PhaseBodies = {
  1: Base,
  2: Base,
  3: Base,
  4: Base.extend({ matches: z.array(z.unknown()).max(10_000).optional() }),
  5: Base.extend({ claim_id: Id, case_id: Id }),
  6: Base.extend({ ...claimRef, reason: z.string().max(4000).optional() }).refine(needsClaimOrCase, claimOrCase),
  7: Base.extend({
    ...claimRef,
    payout_id: Id,
    amount_minor: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
    currency: z.string().refine(isCurrency, 'an ISO 4217 currency code such as USD'),
    kind: z.enum(['reimbursement', 'reversal']).optional(),
    reverses: Id.optional(),
  })
    .refine(needsClaimOrCase, claimOrCase)
    // Amazon's Reimbursement_Reversal takes money back: negative, and names the payout it reverses.
    // A payout is money Amazon paid: a safe positive integer. (JSON cannot carry a larger integer
    // exactly; phase 7 then checks it against what the claim asked for.)
    .refine((b) => (b.kind === 'reversal' ? b.amount_minor < 0 && Boolean(b.reverses) : b.amount_minor > 0), {
      message: "a reimbursement is a positive safe integer; a reversal (kind 'reversal') is negative, and names the payout it reverses in `reverses`",
      path: ['amount_minor'],
    }),
} as const satisfies Record<PhaseNumber, z.ZodType>;

export type PhaseBody = z.infer<(typeof PhaseBodies)[PhaseNumber]>;

/** Any body the phase endpoint may see, for the OpenAPI document. */
export const AnyPhaseBody = z.looseObject({
  user_id: Id,
  sync_id: Id.optional(),
  seller_id: Id.optional(),
  claim_id: Id.optional(),
  case_id: Id.optional(),
  reason: z.string().optional(),
  payout_id: Id.optional(),
  amount_minor: z.number().int().optional(),
  currency: z.string().optional(),
  matches: z.array(z.unknown()).optional(),
});

export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,255}$/, '1–255 printable ASCII characters');

export const Accepted = z.object({
  event_id: z.string(),
  phase: z.number().int(),
  user_id: z.string(),
  sync_id: z.string().nullable(),
  claim_id: z.string().nullable(),
  status: z.literal('accepted'),
  duplicate: z.boolean(),
});

/** Every error answer (src/http/errors.ts); one component, `Error`, in the OpenAPI document. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe('A stable machine code, e.g. invalid_request, unauthorized, not_found, rate_limited'),
      message: z.string().describe('What went wrong, for a person'),
      details: z.unknown().optional().describe('More, when known (e.g. which fields are not valid)'),
    }),
  })
  .meta({ id: 'Error', description: 'An error answer' });
