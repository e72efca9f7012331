import type * as http from 'node:http';
import type { JobRef, JobStore } from './jobs/jobStore';
import type { TrackingEntry } from './mlflow/trackingLog';
import type { RegisteredVersion } from './resources/assets';
import type { StorageTargets } from './storage/layout';

export type { StorageTargets } from './storage/layout';

export interface LocalStorageOptions {
  accountName: string;
  accountKey: string;
  /** Path-style endpoint, e.g. `http://127.0.0.1:10000/devstoreaccount1`. */
  blobEndpoint: string;
  fileEndpoint: string;
  /** What datastores record in `properties.endpoint` (the string "local"). */
  endpointSuffix: string;
}

export interface WorkspaceApiOptions {
  /** JSON state persists here; a restart loses nothing. */
  stateDir: string;
  /** Every request needs `Authorization: Bearer <token>`. */
  token: string;
  tenantId: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  storage: LocalStorageOptions;
  /** Items per list page; default 20. */
  pageSize?: number;
  /** Where start-up notes go (the service's log). */
  log?: (line: string) => void;
  /** How long a request may wait for the storage to create containers and shares; default 20 s (tests shorten it). */
  storageTimeoutMs?: number;
}

export interface Disposable {
  dispose(): void;
}

export interface WorkspaceApi {
  handle(req: http.IncomingMessage, res: http.ServerResponse): void;
  /** Blob containers and file shares the workspaces need; main.ts creates them in storage. */
  storageTargets(): StorageTargets;
  /**
   * Called when a workspace is created or updated through PUT, with the containers and
   * shares that workspace needs; the PUT answers after the listeners have finished. `signal`
   * aborts when the request's deadline has passed (the PUT then fails): stop the storage calls.
   */
  onWorkspaceStorageNeeded(listener: (targets: StorageTargets, signal: AbortSignal) => void | Promise<void>): Disposable;
  /** Called when a client holding the token asked the service to stop (after it was answered). */
  onStopRequested(listener: () => void): Disposable;
  /** Fills the `local` workspace with demo experiments, runs and models (idempotent). */
  seedDemo(): Promise<void>;
  /** Called after a client registered a new model version. */
  onModelRegistered(listener: (model: RegisteredVersion) => void): Disposable;
  /** The job store, for the job runner. */
  jobs: JobStore;
  /** Logs metrics, params or tags to a job's MLflow run, as its script would (the demo's progressing runs). */
  logToRun(ref: JobRef, entry: TrackingEntry): Promise<void>;
  /** How many points a job's run has logged for one metric (0 for an unknown job). */
  loggedPoints(ref: JobRef, metricKey: string): Promise<number>;
  /** Writes pending changes to disk. */
  close(): Promise<void>;
}
