// POST /api/v1/filings/:id/reply: the person who filed a case pastes Amazon's answer; Clario keeps
// it, reads it and moves the case's claims on (src/filing/replies.ts says how).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REPLY_OUTCOMES } from '../domain/amazon-reply.js';
import { covers, requireSubject, SERVICE_SEES_ALL, type Principal } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { ErrorBody, Id } from '../http/schemas.js';
import type { Db } from '../store/db.js';
import type { Engine } from '../workflow/engine.js';
import { findFiling } from './filings.js';
import { receiveReply, replyJson } from './replies.js';

export const Amount = z.object({ amount_minor: z.number().int(), currency: z.string() });

export const Reply = z.object({
  id: z.string(),
  received_at: z.string().describe('When Clario received it (ISO 8601)'),
  text: z.string().describe("Amazon's words, as pasted"),
  outcome: z.enum(REPLY_OUTCOMES).describe('approved: Amazon pays; rejected: it refuses; more_information: it asks for documents and keeps the case open; unclear: kept for a person'),
  amount: Amount.nullable().describe('What Amazon approved, when the reply says one amount'),
  reimbursement_ids: z.array(z.string()).describe('The reimbursement ids the reply names'),
  reason_code: z.string().nullable().describe("A refusal's or request's reason, in Clario's rejection taxonomy"),
  needs: z.array(z.string()).describe('The documents Amazon wants (upload_invoice, upload_proof_of_delivery)'),
});

// Amazon's replies are a few paragraphs; 20,000 characters of UTF-8 fit well inside this.
const BODY_LIMIT = 128 * 1024;

export function replyRoutes(deps: { db: Db; engine: Engine; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return (app: FastifyInstance, principal: (r: unknown) => Principal): void => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/api/v1/filings/:id/reply',
      {
        bodyLimit: BODY_LIMIT,
        schema: {
          operationId: 'recordCaseReply',
          summary: "Paste Amazon's reply on a case: Clario reads it and moves the case's claims on",
          description:
            "Records Amazon's reply on a filed case and reads it: approved (credited by the reimbursement ids it names, else when the Reimbursements report shows it), rejected (phase 6: the seller is asked for exactly the missing document, or the claim is closed), more_information (the seller is asked for the documents, then replies on the same case) or unclear (kept for a person). The same text twice is the same reply and sets off nothing new. 409 when no case id is recorded yet, or the case is decided and paid.",
          tags: ['filings'],
          params: z.object({ id: Id }),
          body: z.object({ text: z.string().min(1).max(20_000).refine((t) => t.trim().length > 0, 'the reply is empty') }),
          response: {
            200: z.object({
              filing_id: z.string(),
              reply: Reply,
              duplicate: z.boolean().describe('True when this text was pasted on the filing before: the first reading is returned, and nothing new was set off'),
              claims: z.array(
                z.object({
                  claim_id: z.string(),
                  status: z.string(),
                  event_id: z.string().nullable(),
                  note: z.string().optional().describe('Why the reply started nothing for this claim, or what it waits for'),
                }),
              ),
            }),
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
            413: ErrorBody,
          },
        },
      },
      async (request) => {
        const subject = requireSubject(principal(request), undefined, SERVICE_SEES_ALL);
        const filing = await findFiling(deps.db, request.params.id);
        // Not found and not yours look the same: ids are not to be probed.
        if (!filing || !covers(subject, filing.userId)) throw new ApiError('not_found', 'no such filing');
        const result = await receiveReply(deps, filing, request.body.text, now());
        if (!result.ok) throw new ApiError(result.code, result.message);
        return { filing_id: filing.id, reply: replyJson(result.reply), duplicate: result.duplicate, claims: [...result.claims] };
      },
    );
  };
}
