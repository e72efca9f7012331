/** What a listing says of a remote file: its size and, when the service knows it, its MD5 (base64). */
export interface Existing {
  size: number;
  md5?: string;
}

/**
 * Whether `a` sorts at or before `b` both as UTF-16 (JavaScript's order) and as UTF-8 bytes (the
 * order Azure Storage lists in): they differ only for characters outside the BMP, and a name
 * is decided only when both orders agree that the listing has passed it.
 */
function atOrBefore(a: string, b: string): boolean {
  if (a === b) return true;
  return a < b && Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')) < 0;
}

/**
 * The files under the target folder, filled in as the listing arrives, so an upload can start on
 * the files whose remote state is already known while the rest of a large folder is listed.
 * With a listing in name order (blob containers), a name at or before the last one listed is
 * decided: present in `known`, or absent. Otherwise (file shares list folder by folder) a name is
 * decided only when the listing is complete.
 */
export class RemoteIndex {
  readonly known = new Map<string, Existing>();
  private last: string | undefined;
  private complete = false;
  private failure: { error: unknown } | undefined;
  /** Grows with every page of the listing: what was not decided may be now. */
  private progress = 0;
  private wake: Array<() => void> = [];

  constructor(private readonly inNameOrder: boolean) {}

  /** A page (or more) of the listing was added, up to `lastName`. */
  add(entries: Iterable<[string, Existing]>, lastName: string | undefined): void {
    for (const [name, existing] of entries) this.known.set(name, existing);
    if (lastName !== undefined) this.last = lastName;
    this.changed();
  }

  finish(): void {
    this.complete = true;
    this.changed();
  }

  fail(error: unknown): void {
    this.failure = { error };
    this.changed();
  }

  get version(): number {
    return this.progress;
  }

  get finished(): boolean {
    return this.complete;
  }

  /** Whether the remote state of `name` is known (throws the listing's failure, if it failed). */
  decided(name: string): boolean {
    if (this.failure) throw this.failure.error;
    return this.complete || (this.inNameOrder && this.last !== undefined && atOrBefore(name, this.last));
  }

  /** Resolves on the next page, the end or the failure of the listing. */
  async next(): Promise<void> {
    if (this.complete || this.failure) return;
    await new Promise<void>((resolve) => this.wake.push(resolve));
  }

  private changed(): void {
    this.progress++;
    const waiting = this.wake;
    this.wake = [];
    for (const resolve of waiting) resolve();
  }
}
