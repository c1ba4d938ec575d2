import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';

// Lines are gathered into chunks of this size: one write per line would make a ledger of millions
// of rows spend its time in stream bookkeeping.
const CHUNK = 1 << 16;

/**
 * A file written line by line, optionally gzipped, with backpressure: the generator never holds
 * more than a chunk of a file in memory. gzip output is byte-identical for identical input (Node
 * writes a zero modification time in the gzip header).
 */
export class LineSink {
  private buffer = '';
  private lines = 0;
  private readonly target: WriteStream | Gzip;
  private readonly done: Promise<void>;

  constructor(path: string, gzip: boolean) {
    const file = createWriteStream(path);
    if (gzip) {
      const gz = createGzip();
      this.target = gz;
      this.done = pipeline(gz, file);
    } else {
      this.target = file;
      this.done = once(file, 'close').then(() => undefined);
    }
    // Errors surface from close(); until then, an error must not go unhandled.
    this.done.catch(() => undefined);
  }

  /** Lines written so far (header included). */
  get count(): number {
    return this.lines;
  }

  /** Adds a line; returns a promise only when the caller must wait for the disk. */
  write(line: string): Promise<void> | undefined {
    this.buffer += line;
    this.buffer += '\n';
    this.lines++;
    return this.buffer.length >= CHUNK ? this.flush() : undefined;
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.target.write(chunk)) await Promise.race([once(this.target, 'drain'), this.done]);
  }

  async close(): Promise<void> {
    if (this.buffer.length > 0) await this.flush();
    this.target.end();
    await this.done;
  }
}
