/** Keeps the last bytes written to a stream, to quote its last lines in an error message. */
export class LastLines {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxBytes = 8192) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0]!.length >= this.maxBytes) {
      this.size -= this.chunks.shift()!.length;
    }
  }

  /** The last `count` non-empty lines, oldest first. */
  lines(count: number): string[] {
    const text = Buffer.concat(this.chunks).subarray(-this.maxBytes).toString('utf8');
    return text.split(/\r?\n/).filter((line) => line.trim() !== '').slice(-count);
  }
}
