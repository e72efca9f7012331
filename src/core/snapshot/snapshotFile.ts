/** One file of a snapshot folder. */
export interface SnapshotFile {
  /** Relative to the snapshot folder, with `/` separators. */
  relativePath: string;
  absolutePath: string;
  size: number;
}

/** Lists the files of a folder that a snapshot takes, honouring its ignore files. */
export type ListSnapshotFiles = (folder: string, signal?: AbortSignal) => Promise<SnapshotFile[]>;

function compareCodePoints(a: string, b: string): number {
  // Python compares strings by code point; JS `<` compares UTF-16 units (differs past U+FFFF).
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i]!.codePointAt(0)! - cb[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

/** The order the content hash and the upload use: by lower-cased relative path, as azure-ai-ml sorts. */
export function sortSnapshotFiles<T extends { relativePath: string }>(files: readonly T[]): T[] {
  return [...files].sort((a, b) => compareCodePoints(a.relativePath.toLowerCase(), b.relativePath.toLowerCase()));
}
