import type { CommandJobInput } from '../../azure/domain';

/** A command job before it has a code version: what a job file or the submit picks describe. */
export interface JobDraft {
  job: Omit<CommandJobInput, 'name' | 'codeId'> & { name?: string };
  /** A local folder to snapshot as the job's code. */
  codeFolder?: string;
  /** An existing code version's ARM id (a job file's `code: azureml:…`). */
  codeId?: string;
  /** Things in the job file that were ignored or look wrong, for the user to read. */
  warnings: string[];
}

/** What resolving a job file needs from the workspace. */
export interface JobSpecContext {
  /** The workspace's ARM id. */
  workspaceId: string;
  /** The latest version of a workspace environment (for `azureml:name@latest`). */
  latestEnvironmentVersion(name: string): Promise<string>;
}
