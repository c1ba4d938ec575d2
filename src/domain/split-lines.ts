// Text → lines with a bound on a line's length. A file with no newline (a gzip bomb of one
// 2 GiB "line") must not be gathered into one string: past the bound the rest of the line is
// only counted, and the line comes out as a TooLongLine marker the reader reports and skips.
// Pure: the readers (detection's files, the sync's downloads) feed it decoded text.

/** A line longer than the bound: its text is dropped, its place kept. */
export interface TooLongLine {
  readonly tooLong: true;
  /** Characters the line held (without its line ending). */
  readonly length: number;
}

export type SplitLine = string | TooLongLine;

/** The longest line any reader accepts by default: 1 MiB of text. Real report rows are < 4 KiB. */
export const MAX_LINE_LENGTH = 1024 * 1024;

export const isTooLong = (l: SplitLine): l is TooLongLine => typeof l !== 'string';

/**
 * Splits text fed in chunks into lines without their ending (\n or \r\n). Memory holds at most
 * one line of `maxLength` characters plus the current chunk, whatever the input.
 */
export class LineSplitter {
  private rest = '';
  /** Characters of the current line so far, once it is known to be too long (its text is gone). */
  private skipped = -1;

  constructor(private readonly maxLength: number = MAX_LINE_LENGTH) {}

  /** Adds a chunk; complete lines are appended to `out`. */
  push(text: string, out: SplitLine[]): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (this.skipped >= 0) {
        out.push({ tooLong: true, length: this.skipped + nl - start - (nl > start && text.charCodeAt(nl - 1) === 13 ? 1 : 0) });
        this.skipped = -1;
      } else {
        const piece = text.slice(start, nl);
        this.emit(this.rest === '' ? piece : this.rest + piece, out);
        this.rest = '';
      }
      start = nl + 1;
    }
    const tail = text.length - start;
    if (tail === 0) return;
    if (this.skipped >= 0) this.skipped += tail;
    // +1: a line exactly at the bound may still be followed by the \r of its \r\n.
    else if (this.rest.length + tail > this.maxLength + 1) {
      this.skipped = this.rest.length + tail;
      this.rest = '';
    } else this.rest += text.slice(start);
  }

  /** The last line, when the text does not end with a newline. */
  end(out: SplitLine[]): void {
    if (this.skipped >= 0) out.push({ tooLong: true, length: this.skipped });
    else if (this.rest !== '') this.emit(this.rest, out);
    this.rest = '';
    this.skipped = -1;
  }

  private emit(line: string, out: SplitLine[]): void {
    const text = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
    out.push(text.length > this.maxLength ? { tooLong: true, length: text.length } : text);
  }
}
