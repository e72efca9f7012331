/**
 * Turns a byte stream into lines. Splits on `\n` at the byte level, so a multi-byte UTF-8
 * character cut in two by a range read is decoded whole; the unterminated tail is held back
 * until its newline arrives (or `flush()` at the end of the stream).
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private readonly decoder = new TextDecoder('utf-8');

  /** The complete lines in `chunk` (and in what was held back before it), without line ends. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, start)) {
      const piece = Buffer.from(chunk.buffer, chunk.byteOffset + start, i - start);
      const bytes = this.pending.length > 0 ? Buffer.concat([...this.pending, piece]) : piece;
      this.pending = [];
      lines.push(this.decode(bytes));
      start = i + 1;
    }
    if (start < chunk.length) this.pending.push(Buffer.from(chunk.subarray(start)));
    return lines;
  }

  /** Whether an unterminated line is held back. */
  get hasPartialLine(): boolean {
    return this.pending.length > 0;
  }

  /** The held-back unterminated line, if any (the stream has ended). */
  flush(): string[] {
    if (this.pending.length === 0) return [];
    const bytes = Buffer.concat(this.pending);
    this.pending = [];
    return [this.decode(bytes)];
  }

  private decode(bytes: Uint8Array): string {
    const text = this.decoder.decode(bytes);
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  }
}
