import type { SnapshotTransfer } from '../submitJob';
import { listSnapshotFiles } from './snapshotFiles';
import { uploadSnapshotFiles } from './snapshotUpload';

/** Snapshot listing and upload through the transfer engine. */
export const snapshotTransfer: SnapshotTransfer = { listFiles: listSnapshotFiles, uploadFiles: uploadSnapshotFiles };
