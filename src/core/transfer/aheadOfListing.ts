/** Thrown into a file's parts when the listing decided it is not to be sent as it was started. */
export class DecidedOtherwise extends Error {
  constructor() {
    super('the listing decided this file otherwise');
  }
}

/**
 * How much of the large files' content a transfer may send before the listing has reached their
 * names. Blocks of a blob are invisible until committed, so sending them early is safe; what the
 * listing then says not to commit (a file to keep, or to compare first) is wasted, at most this.
 */
export class AheadAllowance {
  constructor(private bytesLeft: number) {}

  take(bytes: number): boolean {
    if (bytes > this.bytesLeft) return false;
    this.bytesLeft -= bytes;
    return true;
  }
}

/**
 * One large file sent while the listing has not decided it: its parts go within the allowance,
 * then wait for the decision; the bytes sent are reported only once it is to be sent, and its
 * upload commits only then.
 */
export class AheadOfListing {
  private decided: boolean | undefined;
  private unreported = 0;

  /**
   * @param send resolves true when the file is to be sent (absent, or to be replaced), false when
   * the listing found it to keep or to compare first; rejects with the listing's failure.
   * @param report the bytes sent, as the transfer counts them.
   */
  constructor(private readonly send: Promise<boolean>, private readonly allowance: AheadAllowance, private readonly report: (bytes: number) => void) {
    send.then((go) => {
      this.decided = go;
      if (go) this.report(this.unreported);
      this.unreported = 0;
    }, () => undefined);
  }

  /** Before a part is read: goes on within the allowance, else waits for the decision. */
  async beforePart(bytes: number): Promise<void> {
    if (this.decided === undefined && this.allowance.take(bytes)) return;
    await this.beforeComplete();
  }

  sent(bytes: number): void {
    if (this.decided) this.report(bytes);
    else this.unreported += bytes;
  }

  /** Before the upload is committed: waits for the decision; throws DecidedOtherwise unless it is to be sent. */
  async beforeComplete(): Promise<void> {
    if (!(await this.send)) throw new DecidedOtherwise();
  }
}
