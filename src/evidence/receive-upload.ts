// An evidence upload, received without holding it: each file part streams to a temporary file
// (hashed and counted on the way), the request as a whole is bounded by EVIDENCE_MAX_REQUEST_BYTES
// (refused before reading when Content-Length says so, else as soon as the count passes it), and
// each file by EVIDENCE_MAX_FILE_BYTES. Memory holds a chunk at a time, whatever the upload.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../http/errors.js';
import { cleanFileName } from './file-name.js';

export interface UploadLimits {
  readonly maxFileBytes: number;
  readonly maxRequestBytes: number;
  readonly maxFiles: number;
}

export interface ReceivedFile {
  readonly filename: string;
  readonly mimetype: string;
  /** The bytes, in the upload's temporary folder (removed by `discard`). */
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

export interface ReceivedUpload {
  readonly files: ReceivedFile[];
  readonly fields: Record<string, string>;
  /** Removes the temporary files; call once the upload is handled, whatever happened. */
  discard(): Promise<void>;
}

const LIMIT_CODES = new Set(['FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT']);
const MAX_FIELDS = 10;

function limitMessage(code: string, limits: UploadLimits): string {
  if (code === 'FST_REQ_FILE_TOO_LARGE') return `a file is larger than ${limits.maxFileBytes} bytes`;
  if (code === 'FST_FIELDS_LIMIT') return `at most ${MAX_FIELDS} fields per upload`;
  if (code === 'FST_PARTS_LIMIT') return `at most ${limits.maxFiles} files and ${MAX_FIELDS} fields per upload`;
  return `at most ${limits.maxFiles} files per upload`;
}

const tooLarge = (limits: UploadLimits) => new ApiError('payload_too_large', `the upload is larger than ${limits.maxRequestBytes} bytes; send fewer or smaller files per request`);

/** Throws 413 before a byte of the body is read when the declared length is over the limit. */
export function refuseDeclaredOversize(request: FastifyRequest, limits: UploadLimits): void {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxRequestBytes) throw tooLarge(limits);
}

export async function receiveUpload(request: FastifyRequest, limits: UploadLimits): Promise<ReceivedUpload> {
  if (!request.isMultipart()) throw new ApiError('unsupported_media_type', 'send multipart/form-data with one or more `file` parts');
  refuseDeclaredOversize(request, limits);
  // Every byte of the body counts, multipart framing included: a chunked body has no length to trust.
  let received = 0;
  const count = (chunk: Buffer) => (received += chunk.length);
  const dir = await mkdtemp(join(tmpdir(), 'clario-upload-'));
  const discard = () => rm(dir, { recursive: true, force: true });
  const files: ReceivedFile[] = [];
  const fields: Record<string, string> = {};
  try {
    const parts = request.parts({ limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: MAX_FIELDS, fieldSize: 1000, parts: limits.maxFiles + MAX_FIELDS } })[Symbol.asyncIterator]();
    // The first next() pipes the request into the parser, in this tick: counting starts with it,
    // so the listener cannot set the body flowing before the parser is there to take it.
    const first = parts.next();
    request.raw.on('data', count);
    for (let r = await first; !r.done; r = await parts.next()) {
      const part = r.value;
      if (received > limits.maxRequestBytes) throw tooLarge(limits);
      if (part.type !== 'file') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.fieldname !== 'file') throw new ApiError('invalid_request', `unexpected file part ${JSON.stringify(part.fieldname)}; name each file part \`file\``);
      const path = join(dir, String(files.length));
      const hash = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          if (received > limits.maxRequestBytes) return done(tooLarge(limits));
          size += chunk.length;
          hash.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(part.file, meter, createWriteStream(path));
      if (part.file.truncated) throw new ApiError('payload_too_large', `a file is larger than ${limits.maxFileBytes} bytes`);
      files.push({ filename: cleanFileName(part.filename), mimetype: part.mimetype, path, sha256: hash.digest('hex'), size });
    }
    if (received > limits.maxRequestBytes) throw tooLarge(limits);
    return { files, fields, discard };
  } catch (err) {
    await discard();
    const code = (err as { code?: string }).code;
    if (code && LIMIT_CODES.has(code)) {
      throw new ApiError('payload_too_large', limitMessage(code, limits));
    }
    // The multipart parser throws plain errors for a body it cannot frame (a missing boundary, a
    // cut-off part): the caller's mistake. A system error (the disk) stays ours.
    if (!(err instanceof ApiError) && err instanceof Error && !('syscall' in err)) throw new ApiError('invalid_request', `the multipart body is malformed: ${err.message}`);
    throw err;
  } finally {
    request.raw.off('data', count);
  }
}
