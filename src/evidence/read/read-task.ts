// The messages between the service and its reading worker.
import type { Currency } from '../../domain/money.js';
import type { ReadResult } from './items.js';
import type { EvidenceContentType } from './read-evidence.js';
import type { PdfLimits } from './read-pdf.js';

interface TaskBase {
  readonly path: string;
  /** Test only: the worker waits until a test sets the first Int32 to non-zero. */
  readonly gate?: SharedArrayBuffer;
}

export type ReadTask =
  | (TaskBase & { readonly op: 'check'; readonly filename: string; readonly declaredType: string })
  | (TaskBase & { readonly op: 'read'; readonly contentType: EvidenceContentType; readonly defaultCurrency: Currency; readonly pdf: PdfLimits });

export type WorkerMessage =
  | { readonly kind: 'started'; readonly threadId: number }
  | { readonly kind: 'checked'; readonly contentType: EvidenceContentType }
  | { readonly kind: 'unsupported'; readonly message: string }
  | { readonly kind: 'read'; readonly result: ReadResult }
  | { readonly kind: 'failed'; readonly message: string };
