import type { JobStatus } from '../jobs/jobStatus';
import type { JsonObject } from '../validation';

/** Who created / last changed a record and when; rendered as ARM `systemData`. */
export interface Audit {
  createdAt: string;
  createdBy: string;
  lastModifiedAt: string;
  lastModifiedBy: string;
}

export interface WorkspaceRecord extends Audit {
  name: string;
  workspaceId: string;
  location: string;
  kind: string;
  friendlyName: string;
  description: string;
  tags: Record<string, string>;
  /** Principal id of the (pretend) system-assigned identity. */
  principalId: string;
  /** The workspace that exists from the start; it cannot be deleted. */
  builtIn: boolean;
}

export interface DatastoreRecord extends Audit {
  name: string;
  /** The ARM `properties`, secrets included (they never leave through GET/list). */
  properties: JsonObject;
}

export interface AssetContainerRecord extends Audit {
  name: string;
  /** description, tags, properties, isArchived and whatever else the client sent. */
  properties: JsonObject;
  /** The most recently created version. */
  latestVersion?: string;
  /** Highest integer version ever created; nextVersion = this + 1 (never reused). */
  highestNumericVersion: number;
}

export interface AssetVersionRecord extends Audit {
  name: string;
  version: string;
  properties: JsonObject;
}

export interface JobError {
  code: string;
  message: string;
  /** Extra detail (stack trace, exit code) shown by clients under the message. */
  details?: string;
}

export interface JobRecord extends Audit {
  name: string;
  /** Run-history id of the job (RunDetails.runUuid). */
  runUuid: string;
  /** The ARM `properties` of the job as accepted (without read-only fields). */
  properties: JsonObject;
  status: JobStatus;
  startTimeUtc?: string;
  endTimeUtc?: string;
  error?: JobError;
  /** Files under the job's artifact folder that exist, e.g. `user_logs/std_log.txt`. */
  logFiles: string[];
  warnings?: Array<{ source: string; message: string }>;
}
