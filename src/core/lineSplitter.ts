const LF = 0x0a;
const CR = 0x0d;

/** The longest line held back waiting for its end; longer ones are handed out in pieces of this size. */
const defaultMaxLineBytes = 64 * 1024;

/**
 * Turns a byte stream into the lines a reader should see. Splits at the byte level, so a
 * multi-byte UTF-8 character cut in two by a range read is decoded whole; the unterminated tail
 * is held back until its end arrives (or `flush()` at the end of the stream).
 *
 * Line ends are `\n` and `\r\n`. A lone `\r` is a redraw, as a progress bar (tqdm) writes it:
 * the text before it is what a terminal showed until then. Each redraw ends a displayable line,
 * but of several redraws of one line in one `push` only the last is handed out (a terminal would
 * have overwritten the others), so a bar shows its latest state on every read without flooding
 * the output. A line longer than `maxLineBytes` with no end in sight is handed out in pieces, so
 * memory stays bounded whatever the writer does.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The last chunk ended in `\r`: a line end if the next byte is `\n`, otherwise a redraw. */
  private heldCarriageReturn = false;
  /** The current line has been redrawn (it is a progress line). */
  private redrawn = false;
  private readonly decoder = new TextDecoder('utf-8');

  private readonly maxLineBytes: number;

  /** `maxLineBytes`: at least 4 (one UTF-8 character always fits). */
  constructor(maxLineBytes = defaultMaxLineBytes) {
    this.maxLineBytes = Math.max(4, Math.floor(maxLineBytes) || defaultMaxLineBytes);
  }

  /** The lines completed by `chunk` (and by what was held back before it), without line ends. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    /** The newest redraw of the current line in this chunk, not yet handed out. */
    let redraw: string | undefined;
    const endLine = (text: string): void => {
      // `…\r\r\n`: the line ends on an empty redraw; what shows is the redraw before it.
      if (text === '' && this.redrawn) {
        if (redraw !== undefined) lines.push(redraw);
      } else {
        lines.push(text);
      }
      redraw = undefined;
      this.redrawn = false;
    };
    const redrawLine = (text: string): void => {
      if (text === '') return;
      redraw = text;
      this.redrawn = true;
    };

    let start = 0;
    if (this.heldCarriageReturn && chunk.length > 0) {
      this.heldCarriageReturn = false;
      if (chunk[0] === LF) {
        endLine(this.takeText());
        start = 1;
      } else {
        redrawLine(this.takeText());
      }
    }
    let nextLf = chunk.indexOf(LF, start);
    let nextCr = chunk.indexOf(CR, start);
    while (nextLf !== -1 || nextCr !== -1) {
      if (nextLf !== -1 && (nextCr === -1 || nextLf < nextCr)) {
        endLine(this.lineText(chunk, start, nextLf));
        start = nextLf + 1;
        nextLf = chunk.indexOf(LF, start);
        continue;
      }
      const lineStart = start;
      start = nextCr + 1;
      if (start === chunk.length) {
        this.hold(chunk, lineStart, nextCr);
        this.heldCarriageReturn = true;
      } else if (chunk[start] === LF) {
        endLine(this.lineText(chunk, lineStart, nextCr));
        start += 1;
        nextLf = chunk.indexOf(LF, start);
      } else {
        redrawLine(this.lineText(chunk, lineStart, nextCr));
      }
      nextCr = chunk.indexOf(CR, start);
    }
    if (redraw !== undefined) lines.push(redraw);
    this.hold(chunk, start, chunk.length);
    // A line with no end (a writer that never prints a newline): hand it out in bounded pieces.
    while (this.pendingBytes > this.maxLineBytes) lines.push(this.takeOverlong());
    return lines;
  }

  /** Whether an unterminated line is held back. */
  get hasPartialLine(): boolean {
    return this.pendingBytes > 0 || this.heldCarriageReturn;
  }

  /** The held-back unterminated line, if any (the stream has ended). */
  flush(): string[] {
    this.heldCarriageReturn = false;
    this.redrawn = false;
    if (this.pendingBytes === 0) return [];
    return [this.takeText()];
  }

  /** What is held back followed by `chunk[from, to)`, as text; nothing stays held. */
  private lineText(chunk: Uint8Array, from: number, to: number): string {
    // Nothing held back (the common case): decoded straight from the chunk, no copy.
    if (this.pendingBytes === 0) return to > from ? this.decoder.decode(chunk.subarray(from, to)) : '';
    this.hold(chunk, from, to);
    return this.takeText();
  }

  private hold(chunk: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    // A copy: the chunk (megabytes) must not stay referenced by a few held-back bytes.
    this.pending.push(Buffer.from(chunk.subarray(from, to)));
    this.pendingBytes += to - from;
  }

  private takeBytes(): Buffer {
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return bytes;
  }

  private takeText(): string {
    return this.pendingBytes === 0 ? '' : this.decoder.decode(this.takeBytes());
  }

  /**
   * The first piece (at most `maxLineBytes`) of an overlong held-back line. Cut after a space
   * when there is one in the piece's second half (a secret, as masking knows them, holds none),
   * never inside a UTF-8 character.
   */
  private takeOverlong(): string {
    const bytes = this.takeBytes();
    let cut = this.maxLineBytes;
    const space = bytes.lastIndexOf(0x20, cut - 1);
    if (space >= cut / 2) {
      cut = space + 1;
    } else {
      // Back off continuation bytes (10xxxxxx) so a character is not split.
      while (cut > 0 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut--;
      if (cut === 0) cut = this.maxLineBytes;
    }
    const rest = bytes.subarray(cut);
    if (rest.length > 0) {
      // `bytes` is this splitter's own copy; a small rest is copied so the big buffer can go.
      this.pending = [rest.length <= this.maxLineBytes ? Buffer.from(rest) : rest];
      this.pendingBytes = rest.length;
    }
    return this.decoder.decode(bytes.subarray(0, cut));
  }
}
