// Downloading a paid claim's proof packet. A seller sees only their own (someone else's claim is
// "not found", so ids cannot be probed); the session cookie works, so a browser link downloads it.
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { covers, requireSubject, SERVICE_SEES_ALL, type Principal } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { Id } from '../http/schemas.js';
import type { Db } from '../store/db.js';
import { claims } from '../store/schema/claims-tables.js';
import { findProofPacket, type StoredProof } from './proof-packet.js';

async function packetFor(db: Db, principal: Principal, claimId: string): Promise<StoredProof> {
  const subject = requireSubject(principal, undefined, SERVICE_SEES_ALL);
  const packet = await findProofPacket(db, claimId);
  if (packet && covers(subject, packet.userId)) return packet;
  const ownClaim = subject === null ? eq(claims.id, claimId) : and(eq(claims.id, claimId), eq(claims.userId, subject));
  const [claim] = await db.select({ id: claims.id, status: claims.status }).from(claims).where(ownClaim);
  if (!claim) throw new ApiError('not_found', 'no such claim');
  throw new ApiError('not_found', `claim ${claimId} has no proof packet yet: Clario builds it when Amazon pays the claim (status now: ${claim.status})`);
}

export function proofRoutes(db: Db) {
  return (app: FastifyInstance, principal: (r: unknown) => Principal): void => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const params = z.object({ id: Id });

    r.get(
      '/api/v1/claims/:id/proof',
      { schema: { operationId: 'getProofPacket', summary: "A paid claim's proof packet: its SHA-256, size and date", description: 'A paid claim\'s proof packet: its SHA-256, size and when it was made. A seller reads their own claims\'.', tags: ['claims'], params } },
      async (request) => {
        const p = await packetFor(db, principal(request), request.params.id);
        return {
          claim_id: p.claimId,
          sha256: p.sha256,
          size_bytes: p.sizeBytes,
          created_at: p.createdAt.toISOString(),
          payout_id: p.payoutId,
          download: `/api/v1/claims/${encodeURIComponent(p.claimId)}/proof.pdf`,
        };
      },
    );

    r.get(
      '/api/v1/claims/:id/proof.pdf',
      { schema: { operationId: 'downloadProofPacket', answers: { 200: { description: 'The proof packet', type: 'application/pdf' } }, summary: "Download a paid claim's proof packet (PDF); X-Content-SHA256 carries its hash", description: 'The proof packet itself (application/pdf); the X-Content-SHA256 header carries its hash. A seller downloads their own claims\'.', tags: ['claims'], params } },
      async (request, reply) => {
        const p = await packetFor(db, principal(request), request.params.id);
        const safeName = p.claimId.replace(/[^A-Za-z0-9._-]/g, '_');
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename="clario-proof-${safeName}.pdf"`)
          .header('x-content-sha256', p.sha256)
          .header('cache-control', 'private, no-store')
          .send(Buffer.from(p.bytes));
      },
    );
  };
}
