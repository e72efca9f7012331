/** What uploads and downloads take and give back. Plain data, shared by the CLI and the extension. */

/** What to do with a file that already exists at the destination. */
export type ExistingFilePolicy = 'overwrite' | 'skip' | 'skipUnchanged';

export const existingFilePolicies: readonly ExistingFilePolicy[] = ['overwrite', 'skip', 'skipUnchanged'];

export type TransferDirection = 'upload' | 'download';

/** A snapshot of a transfer under way. */
export interface TransferProgress {
  direction: TransferDirection;
  /** Files finished in any way: transferred, skipped or failed. */
  filesDone: number;
  /** Known once every file has been found (the walk or the listing ended). */
  filesTotal?: number;
  /** Bytes of finished files plus the finished blocks of files under way; skipped files count as done. */
  bytesDone: number;
  bytesTotal?: number;
  /** Bytes actually sent or received per second, over the last few seconds. */
  bytesPerSecond: number;
  /** Estimated, once the totals are known and something has moved. */
  secondsLeft?: number;
}

/** A file that could not be transferred. `path` is relative, `/`-separated. */
export interface FailedFile {
  path: string;
  reason: string;
}

/** Something not transferred on purpose (an unsafe remote name, a link out of the folder). */
export interface NotTransferred {
  path: string;
  reason: string;
}

export interface TransferResult {
  direction: TransferDirection;
  datastoreName: string;
  /** The folder inside the datastore (`''` is its root). */
  remotePath: string;
  /** The local folder relative paths are taken from (upload) or written under (download). */
  localRoot: string;
  transferred: { files: number; bytes: number };
  skipped: { existing: number; unchanged: number; bytes: number };
  /** Files and folders left out by the ignore rules (upload only); a folder counts once, not its contents. */
  ignored: { files: number; folders: number; rulesFile?: string };
  /** Empty folders created (file shares and local disks keep them; blob containers have no folders). */
  emptyFolders: number;
  failed: FailedFile[];
  /** Remote names refused on download, links not followed and special files on upload. */
  notTransferred: NotTransferred[];
  /** Files a resume started over rather than going on with (changed since the interrupted run), and why. */
  restarted?: FailedFile[];
  canceled: boolean;
  /** The error that stopped the whole transfer (a missing permission, a missing container). */
  fatal?: { message: string; code: string; status?: number };
  elapsedMs: number;
  /** Files found to transfer (transferred + skipped + failed), including those not reached when canceled. */
  filesFound: number;
  /** Whether the walk (or listing) ended, so filesFound is the total; false when canceled before. */
  foundAll: boolean;
}
