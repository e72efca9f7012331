import type { DatastoreStorage } from '../../azure/datastoreStorage';
import { BlobStore } from './blobStore';
import type { RemoteStore } from './remoteStore';
import { ShareStore } from './shareStore';

/** How hard a transfer pushes. The defaults were measured with `npm run bench:upload`. */
export interface TransferTuning {
  /** Requests in flight at once (small files and blocks together): the ceiling of the adaptive limit. */
  maxConcurrency: number;
  /** Adapt the requests in flight to the link (ConcurrencyLimit); false: always maxConcurrency. */
  adaptiveConcurrency: boolean;
  /** Where the adaptive limit starts. */
  initialConcurrency: number;
  /** Latency alone never takes the adaptive limit below this (throttling and low memory do). */
  latencyFloorConcurrency: number;
  /** Free memory of the machine below which the adaptive limit halves. */
  lowMemoryBytes: number;
  /** Bytes of file content held in memory at once. */
  maxInFlightBytes: number;
  /** Blob files up to this size are one Put Blob; larger ones are staged in blocks. */
  blobSingleRequestLimit: number;
  /** Block size for large blobs (raised per file when a file would need over 50,000 blocks). */
  blobBlockSize: number;
  /** Blobs per listing request (the service's most is 5,000). */
  blobListPageSize: number;
  /** Files found ahead of the transfer, so totals are known early. */
  readAheadEntries: number;
}

export const defaultTuning: TransferTuning = {
  maxConcurrency: 256,
  adaptiveConcurrency: true,
  initialConcurrency: 32,
  latencyFloorConcurrency: 16,
  lowMemoryBytes: 256 * 1024 * 1024,
  maxInFlightBytes: 64 * 1024 * 1024,
  blobSingleRequestLimit: 8 * 1024 * 1024,
  blobBlockSize: 8 * 1024 * 1024,
  blobListPageSize: 5000,
  readAheadEntries: 10_000,
};

/** The engine's view of a datastore's storage. */
export function remoteStoreFor(storage: DatastoreStorage, tuning: TransferTuning): RemoteStore {
  return storage.kind === 'blob'
    ? new BlobStore(storage.container, {
      singleRequestLimit: tuning.blobSingleRequestLimit, partSize: tuning.blobBlockSize, listPageSize: tuning.blobListPageSize,
    })
    : new ShareStore(storage.share);
}

/** Azure allows 50,000 blocks per blob. */
export const maxBlocksPerBlob = 50_000;

export function partSizeFor(store: RemoteStore, fileSize: number): number {
  if (store.kind !== 'blob') return store.partSize;
  return Math.max(store.partSize, Math.ceil(fileSize / maxBlocksPerBlob));
}
