import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** An artifact file listed in artifacts.jsonl that the export did not write (its name refused here, say), and why. */
export interface NotWrittenFile {
  job: string;
  path: string;
  reason: string;
}

/** How many artifact files were not written, and the first few of them. */
export interface NotWrittenSummary {
  count: number;
  first: NotWrittenFile[];
}

/** At most this many not-written files are named in the state and the index; artifacts.jsonl marks them all. */
export const notWrittenListed = 10;

/** What the export index says about one kind. */
export type KindSummary =
  | { files: string[]; count: number; artifactsNotWritten?: NotWrittenSummary }
  | { notOffered: { status: number; code?: string } };

/** Where the kind being exported stands: the page being read and what of it is written. */
export interface KindInProgress {
  kind: string;
  /** The continuation token of the page being read; undefined for the first page. */
  pageToken?: string;
  /** Items of that page already written (by id), skipped when the page is read again. */
  doneInPage: string[];
  count: number;
  /** Bytes of each of the kind's files that hold finished items only. */
  bytes: Record<string, number>;
  /** Artifact files of the finished items that were not written. */
  artifactsNotWritten?: NotWrittenSummary;
}

/** Which workspace an export is of. */
export interface ExportOwner {
  /** The workspace's ARM id (the client's resourceId). */
  resourceId: string;
  /** Its GUID, when the service told it: a workspace deleted and created again under that name has another. */
  workspaceId?: string;
}

export interface ExportState {
  version: 1;
  /** The workspace being exported; missing in the state of an export begun by an older version. */
  workspace?: ExportOwner;
  includeArtifacts: boolean;
  finished: Record<string, KindSummary>;
  current?: KindInProgress;
}

export const stateFileName = '.azml-export-state.json';

/** Writes `data` to `file` whole or not at all (temporary file, fsync, rename). */
export async function writeFileAtomically(file: string, data: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await fs.open(temporary, 'w');
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temporary, file);
}

/** The state an interrupted export left in `folder`, or undefined when there is none to resume. */
export async function readExportState(folder: string): Promise<ExportState | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(folder, stateFileName), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const state = JSON.parse(text) as ExportState;
    return state.version === 1 && typeof state.finished === 'object' ? state : undefined;
  } catch {
    // A state file that cannot be read means starting over, which is always correct.
    return undefined;
  }
}

export function saveExportState(folder: string, state: ExportState): Promise<void> {
  return writeFileAtomically(path.join(folder, stateFileName), JSON.stringify(state));
}

export async function removeExportState(folder: string): Promise<void> {
  await fs.rm(path.join(folder, stateFileName), { force: true });
}
