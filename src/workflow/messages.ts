// The events Clario publishes (WebSocket, webhooks, EventBridge), defined once as schemas: their
// TypeScript types are inferred from them (what `publish` accepts, what `clario/client` and the
// dashboard read), docs/events.md is generated from them, and tests check real messages against them.
import { z } from 'zod';
import { PHASE_ERROR_CODES, type ForeignErrorCode } from '../domain/errors.js';
import { PHASES, PHASE_NUMBERS } from '../domain/phase.js';
import { PHASE_STATUSES } from '../domain/phase-status.js';
import { REJECTION_CODES } from '../domain/rejection.js';
import { REMINDER_KINDS } from '../domain/reminders.js';

const PhaseName = z.enum(PHASE_NUMBERS.map((p) => PHASES[p].key) as [string, ...string[]]);
const common = {
  event_id: z.string().describe('The phase event (inbox row) this message is about'),
  phase: z.number().int().min(1).max(7),
  name: PhaseName.describe("The phase's machine name"),
  user_id: z.string(),
  sync_id: z.string().nullable().describe('The sync run (phases 1–4, and the claim phases when known)'),
  claim_id: z.string().nullable().describe('The claim (phases 5–7)'),
  at: z.iso.datetime({ offset: true }).describe('When it happened (UTC)'),
  seq: z.number().int().optional().describe("The outbox sequence number: order, and the WebSocket's ?since= replay"),
};

// The schema accepts any string here; the type says it is someone else's code (see ForeignErrorCode).
const ForeignCode = z.string().describe("Passed through from elsewhere: SP-API's own code (InvalidInput, http_<status>), a driver's") as unknown as z.ZodType<ForeignErrorCode>;

/** A failed or retrying phase's error (`PhaseError` in src/domain/errors.ts). */
export const PhaseErrorSchema = z.object({
  code: z.union([z.enum(PHASE_ERROR_CODES), z.templateLiteral(['lwa_', z.string()]).describe("Login with Amazon's error"), ForeignCode]),
  message: z.string(),
});

export const PhaseMessage = z.looseObject({
  type: z.literal('workflow.phase'),
  ...common,
  status: z.enum(PHASE_STATUSES).describe('pending (stored, or waiting to retry), running, completed, or failed (parked)'),
  attempt: z.number().int().min(0),
  data: z
    .looseObject({
      error: PhaseErrorSchema.optional().describe('Why the attempt failed (a retry, or parked)'),
      retry_at: z.iso.datetime({ offset: true }).optional().describe('When the next attempt is due (a retry)'),
    })
    .describe('What the phase found or did; on a retry or failure, `error` and `retry_at`'),
});

export const ProgressMessage = z.looseObject({
  type: z.literal('workflow.progress'),
  ...common,
  status: z.literal('running'),
  data: z.record(z.string(), z.unknown()).describe('How far a long phase is (a sync: the report done, rows, sources done of total)'),
});

const Ask = z.object({ need: z.string().describe("'upload_invoice', 'upload_proof_of_delivery', 'confirm', 'measure' (a fee claim: the SKU's dimensions, weight and photos) or 'dismiss'"), message: z.string() });
const claimCommon = {
  user_id: z.string(),
  claim_id: z.string(),
  at: z.iso.datetime({ offset: true }).describe('When it happened (UTC)'),
  seq: z.number().int().optional().describe("The outbox sequence number: order, and the WebSocket's ?since= replay"),
};

export const ClaimRoutedMessage = z.looseObject({
  type: z.literal('claim.routed'),
  ...claimCommon,
  sync_id: z.string().nullable().describe('The sync run whose phase 4 routed it; null after an upload or a prompt answer'),
  from: z.string().describe('The status before'),
  status: z.enum(['ready', 'prompted', 'held']).describe('ready (auto-submit), prompted (smart prompt) or held'),
  decision: z.enum(['auto_submit', 'smart_prompt', 'hold']),
  confidence: z.number().min(0).max(1),
  reasons: z.array(z.string()).describe('Why, in plain sentences'),
  missing: z.array(z.string()).describe('What would raise the confidence'),
  prompt_id: z.string().nullable(),
});

export const PromptOpenedMessage = z.looseObject({
  type: z.literal('prompt.opened'),
  ...claimCommon,
  prompt_id: z.string(),
  sync_id: z.string().nullable(),
  asks: z.array(Ask).describe('Exactly what the seller is asked for'),
  confidence: z.number().min(0).max(1),
});

export const PromptAnsweredMessage = z.looseObject({
  type: z.literal('prompt.answered'),
  ...claimCommon,
  prompt_id: z.string(),
  action: z.enum(['confirm', 'upload', 'dismiss', 'measure']).describe('measure: the seller measured the SKU (and sent photos) for a fee claim'),
  file_ids: z.array(z.string()),
});

export const ClaimRejectedMessage = z.looseObject({
  type: z.literal('claim.rejected'),
  event_id: z.string().nullable().describe('The phase 6 event that recorded it'),
  user_id: z.string(),
  claim_id: z.string(),
  case_id: z.string().describe("Amazon's case id"),
  claim_type: z.string(),
  reason_code: z
    .enum(REJECTION_CODES)
    .describe("Amazon's reason, in Clario's taxonomy"),
  reason_text: z.string().nullable().describe("Amazon's own words"),
  action: z.enum(['reprompt', 'closed', 'review']).describe('reprompt: the seller is asked for a document, then Clario files again; closed; review: kept for a person'),
  needs: z.array(z.string()).describe("The documents asked for (the prompt's needs)"),
  prompt_id: z.string().nullable(),
  message: z.string().describe('A sentence for the seller'),
  at: z.iso.datetime({ offset: true }),
  seq: z.number().int().optional(),
});

export const ReminderMessage = z.looseObject({
  type: z.literal('filing.reminder'),
  id: z.string().describe('The reminder (GET /api/v1/reminders; dismiss with POST /api/v1/reminders/:id/dismiss)'),
  user_id: z.string(),
  kind: z
    .enum(REMINDER_KINDS)
    .describe("deadline_7d / deadline_2d: a claim not yet filed is 7 / 2 days or less from its deadline; follow_up: Amazon has not answered a filed case within FILING_FOLLOW_UP_DAYS; reopen: a claim rejected for a missing document can be reopened"),
  claim_id: z.string().nullable().describe('The claim (deadline and reopen reminders)'),
  filing_id: z.string().nullable().describe('The case as Clario prepared or filed it (GET /api/v1/filings/:id)'),
  message: z.string().describe('What to do, in a sentence for the seller'),
  text: z.string().nullable().describe('The follow-up or reopening text to paste on the case in Seller Central'),
  due: z.iso.date().nullable().describe('The day to act by (the claim\'s deadline), YYYY-MM-DD'),
  created_at: z.iso.datetime({ offset: true }),
  seq: z.number().int().optional().describe("The outbox sequence number: order, and the WebSocket's ?since= replay"),
});

const SCHEMAS = {
  'workflow.phase': PhaseMessage,
  'workflow.progress': ProgressMessage,
  'claim.routed': ClaimRoutedMessage,
  'prompt.opened': PromptOpenedMessage,
  'prompt.answered': PromptAnsweredMessage,
  'claim.rejected': ClaimRejectedMessage,
  'filing.reminder': ReminderMessage,
} as const;

export type MessageType = keyof typeof SCHEMAS;

// A loose schema's inferred type has an index signature (clients must accept fields added later);
// the named fields alone are what Clario writes, so a misspelt field does not compile.
type Fields<T> = { [K in keyof T as string extends K ? never : K]: T[K] };

/** The message of type `T` as a client receives it: WebSocket frame, webhook `data`, EventBridge `detail`. */
export type MessageOf<T extends MessageType> = Fields<z.infer<(typeof SCHEMAS)[T]>>;
/** Every message Clario sends. */
export type ClarioMessage = { [T in MessageType]: MessageOf<T> }[MessageType];
/** A message as it is published (`publish`): the outbox numbers it, `seq` is added on the way out. */
export type Publishable = { [T in MessageType]: Omit<MessageOf<T>, 'seq'> }[MessageType];

export type PhaseMessage = MessageOf<'workflow.phase'>;
export type ProgressMessage = MessageOf<'workflow.progress'>;
export type ClaimRoutedMessage = MessageOf<'claim.routed'>;
export type PromptOpenedMessage = MessageOf<'prompt.opened'>;
export type PromptAnsweredMessage = MessageOf<'prompt.answered'>;
export type ClaimRejectedMessage = MessageOf<'claim.rejected'>;
export type ReminderMessage = MessageOf<'filing.reminder'>;

/** What `/ws` sends besides messages: it cannot replay from the `?since=` it was given. */
export interface SocketError {
  readonly type: 'error';
  readonly code: 'unknown_since';
  readonly message: string;
}
/** A frame of the seller's WebSocket (`/ws`). */
export type SocketFrame = ClarioMessage | SocketError;

export interface CatalogueEntry {
  readonly type: MessageType;
  readonly description: string;
  readonly schema: z.ZodType;
  readonly example: ClarioMessage;
}

/** Every type has its entry (a type added without one does not compile), in the catalogue's order. */
const ENTRIES: { readonly [T in MessageType]: { readonly description: string; readonly example: MessageOf<T> } } = {
  'workflow.phase': {
    description: 'A phase of a workflow changed status: stored (pending), started (running), finished (completed), retrying (pending with an error) or parked (failed). A phase that the one before it starts at once is created running: its first message is running.',
    example: {
      type: 'workflow.phase',
      event_id: '0b8c6c1e-4f7a-4b0e-9a55-2f1f3c7d9e10',
      phase: 2,
      name: 'discovery',
      status: 'completed',
      user_id: 'seller_A1CLARIODEMO01',
      sync_id: 'sync_7d1e…',
      claim_id: null,
      attempt: 1,
      data: { claims_found: 43, eligible: 31, by_type: { lost_warehouse: 10 } },
      at: '2026-11-22T21:04:05.123Z',
      seq: 1042,
    },
  },
  'workflow.progress': {
    description: 'A long phase reports how far it is (the sync, report by report).',
    example: {
      type: 'workflow.progress',
      event_id: '5a0f2d9b-7c3e-4a8e-b1d2-9e0c4f6a8b21',
      phase: 1,
      name: 'onboarding',
      status: 'running',
      user_id: 'seller_A1CLARIODEMO01',
      sync_id: 'sync_7d1e…',
      claim_id: null,
      data: { source: 'GET_LEDGER_DETAIL_VIEW_DATA.tsv', sources_done: 8, sources_total: 8, rows: 3326, new_rows: 3326 },
      at: '2026-11-22T21:04:01.877Z',
      seq: 1031,
    },
  },
  'claim.routed': {
    description: "Phase 4 (or a seller's upload or answer) routed a claim: ready to file, a smart prompt, or held, with the reasons.",
    example: {
      type: 'claim.routed',
      claim_id: 'clm_4f0c9a1e2b3d4c5e6f708192',
      user_id: 'seller_A1CLARIODEMO01',
      sync_id: 'sync_7d1e…',
      from: 'detected',
      status: 'prompted',
      decision: 'smart_prompt',
      confidence: 0.55,
      reasons: ["Amazon's inventory ledger shows 40 units of SKU-1 lost in its warehouse", 'no invoice'],
      missing: ['upload_invoice', 'confirm'],
      prompt_id: 'prm_0d9e…',
      at: '2026-11-22T21:04:09.001Z',
      seq: 1050,
    },
  },
  'prompt.opened': {
    description: 'The seller is asked for exactly what a claim is missing (answer with POST /api/v1/prompts/:id/answer).',
    example: {
      type: 'prompt.opened',
      prompt_id: 'prm_0d9e…',
      claim_id: 'clm_4f0c9a1e2b3d4c5e6f708192',
      user_id: 'seller_A1CLARIODEMO01',
      sync_id: 'sync_7d1e…',
      asks: [
        { need: 'upload_invoice', message: 'Upload the supplier invoice for 40 units of SKU-1 (claim worth 496.00 USD): it proves you owned them.' },
        { need: 'confirm', message: 'Confirm the lost warehouse claim for 40 units of SKU-1 (claim worth 496.00 USD) is right.' },
        { need: 'dismiss', message: 'Dismiss the claim if it is wrong.' },
      ],
      confidence: 0.55,
      at: '2026-11-22T21:04:09.001Z',
      seq: 1049,
    },
  },
  'prompt.answered': {
    description: 'The seller answered a smart prompt; the claim is re-scored and re-routed in the same transaction (a claim.routed follows when its status changes).',
    example: {
      type: 'prompt.answered',
      prompt_id: 'prm_0d9e…',
      claim_id: 'clm_4f0c9a1e2b3d4c5e6f708192',
      user_id: 'seller_A1CLARIODEMO01',
      action: 'upload',
      file_ids: ['evf_5b1c…'],
      at: '2026-11-23T08:15:00.000Z',
      seq: 1101,
    },
  },
  'claim.rejected': {
    description: 'Amazon rejected a case (phase 6): why, in the taxonomy, and what happens next (the seller is asked for a document, or the claim is closed).',
    example: {
      type: 'claim.rejected',
      event_id: '9c2e4b7a-1d3f-4e5a-8b6c-7d8e9f0a1b2c',
      user_id: 'seller_A1CLARIODEMO01',
      claim_id: 'clm_3f9a…',
      case_id: '17345678901',
      claim_type: 'lost_warehouse',
      reason_code: 'missing_proof_of_ownership',
      reason_text: 'Please provide a valid supplier invoice or proof of ownership for the units in question.',
      action: 'reprompt',
      needs: ['upload_invoice'],
      prompt_id: 'prm_5b1c…',
      message: 'Amazon rejected case 17345678901: it needs proof that you own the units. Upload the invoice and Clario files again.',
      at: '2026-12-02T10:15:00.000Z',
      seq: 2210,
    },
  },
  'filing.reminder': {
    description:
      'Something a person must do for a claim or a case: file before the deadline (7 and 2 days before), follow up on a case Amazon has not answered, or reopen a rejected case with the document Amazon asked for. Sent once per reminder; also listed by GET /api/v1/reminders and e-mailed when SMTP_URL is set.',
    example: {
      type: 'filing.reminder',
      id: 'rem_5d0c3a9e1f2b4c6d8e7f9a0b',
      user_id: 'seller_A1CLARIODEMO01',
      kind: 'follow_up',
      claim_id: null,
      filing_id: 'fil_3f9a0c1d2e4b5a6978877665',
      message: 'Amazon has not answered case 17000000042 (opened November 1, 2026) in 14 days: post the follow-up below on the case in Seller Central (Case Log).',
      text: 'Hello,\n\nOn November 1, 2026 I opened case 17000000042 asking for reimbursement of:\n- FNSKU X00ABC123 (MSKU MUG-11): 3 units reported lost at PHX7 on 2026-10-02, Transaction Item ID 1234567890. The units were not found again and have not been reimbursed. Amount requested: 37.20 USD.\n\nTotal requested: 37.20 USD.\n\nI have not received an answer yet. Could you please review the case and let me know where it stands, or tell me what else you need from me?\n\nThank you.',
      due: null,
      created_at: '2026-11-15T09:05:00.000Z',
      seq: 2230,
    },
  },
};

export const EVENT_CATALOGUE: readonly CatalogueEntry[] = (Object.keys(SCHEMAS) as MessageType[]).map((type) => ({
  type,
  schema: SCHEMAS[type],
  ...ENTRIES[type],
}));

/** docs/events.md, from the schemas above. */
export function renderCatalogue(): string {
  const parts = [
    '# Clario events',
    '',
    'Generated from `src/workflow/messages.ts` by `npm run docs:events`; do not edit by hand.',
    '',
    "Every event is written to the outbox in the same transaction as the change it reports, then sent to the seller's WebSocket (`/ws`), to webhook subscriptions (`data` of the Standard Webhooks body) and to EventBridge when configured (`detail`).",
    '',
  ];
  for (const e of EVENT_CATALOGUE) {
    parts.push(`## \`${e.type}\``, '', e.description, '', 'Example:', '', '```json', JSON.stringify(e.example, null, 2), '```', '', 'Schema:', '', '```json', JSON.stringify(z.toJSONSchema(e.schema), null, 2), '```', '');
  }
  return parts.join('\n');
}
