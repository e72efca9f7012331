import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ContainerClient } from '@azure/storage-blob';
import { toAzureMlError } from '../../azure/errors';
import { maskSecrets } from '../../azure/secrets';
import { localPathForRemoteName } from '../../core/transfer/pathSafety';
import { localMachineEnvironmentId } from '../../core/jobSpec/curatedEnvironments';
import { isTerminal, stdLogFile, type JobRef, type JobStatus, type JobStore, type JobUpdate, type JobView } from '../workspaceApi';
import { substituteReferences, UnresolvedReferenceError, type CommandValue } from './commandReferences';
import { parseDatastoreUri, parseLocalBlobUri } from './dataLocations';
import type { DatastoreResolver } from './datastoreResolver';
import { prepareInputs, prepareOutputs, uploadOutputs, type DataContext, type OutputUpload } from './jobData';
import { jobEnvironment, type JobTracking } from './jobEnvironment';
import { JobFailure, reasonOf } from './jobFailure';
import { isoDurationMs } from './isoDuration';
import { LastLines } from './lastLines';
import { BlobLogAppender } from './logAppender';
import { runCommand, type ProcessExit, type RunningCommand } from './processGroup';
import { runMarkerVariable, type ProcessRegistry } from './processRegistry';
import {
  downloadBlobFile, downloadBlobFolder, downloadShareFile, downloadShareFolder, uploadFolderToBlobs,
} from './transfers';

/** What running a job needs from the runner. */
export interface ExecutionServices {
  jobs: JobStore;
  /** A container of the local storage account (code snapshots, the `azureml` artifact container). */
  container(name: string): ContainerClient;
  blobEndpoint: string;
  datastores: DatastoreResolver;
  registry: ProcessRegistry;
  /** Run folders are made (and removed) here. */
  runsDir: string;
  /** Goes first on PATH (the `python` shim), if any. */
  toolsDir: string | undefined;
  /** The MLflow tracking URI and token of a job's workspace, when the service serves one. */
  tracking?: (job: JobView) => JobTracking;
  shell: string;
  graceMs: number;
  logFlushIntervalMs: number;
  log(line: string): void;
}

/** Why the runner stops a job: a user's cancel, or the service shutting down. */
export type StopReason = 'cancel' | 'shutdown';

type Phase = 'preparing' | 'running' | 'finalizing';

/** Raised to leave the steps early when the job was stopped or ended elsewhere. */
class Interrupted extends Error {}

const stderrLinesInError = 20;

/** Where a code asset of one file goes: its name must be one safe file name (the one path-safety check). */
function codeFilePath(codeDir: string, name: string): string {
  const target = localPathForRemoteName(codeDir, name);
  if (!target.ok) throw new JobFailure('UserError', `The job's code file ${JSON.stringify(name)} can't be downloaded: ${target.reason}.`);
  return target.localPath;
}
// setTimeout fires at once for delays beyond a signed 32-bit number of milliseconds.
const maxTimerMs = 2 ** 31 - 1;

function exitFailure(exit: ProcessExit, stderr: LastLines): JobFailure {
  if (exit.error) return new JobFailure('ServiceError', `The command could not be started: ${reasonOf(exit.error)}`);
  const how = exit.code !== null ? `exited with code ${exit.code}` : `was stopped by signal ${exit.signal ?? 'unknown'}`;
  const lines = stderr.lines(stderrLinesInError);
  const tail = lines.length > 0 ? `\n\nLast lines of its error output:\n${lines.join('\n')}` : '';
  return new JobFailure('UserError', `Execution failed: the command ${how}. Its output is in ${stdLogFile}.${tail}`);
}

/**
 * One job from pickup to its final status: Preparing (code snapshot and inputs downloaded into
 * a fresh folder), Running (the command, its output streamed to the log blob), Finalizing
 * (outputs uploaded), then Completed, Failed or Canceled. The run folder is removed at the end.
 */
export class JobExecution {
  private readonly abort = new AbortController();
  private readonly ref: JobRef;
  private stopReason: StopReason | undefined;
  private timedOut = false;
  private phase: Phase = 'preparing';
  private stoppedWhile: Phase = 'preparing';
  private command: RunningCommand | undefined;
  /** Settles when the job has reached its final status and its folder is gone. */
  readonly done: Promise<void>;

  constructor(private readonly job: JobView, private readonly services: ExecutionServices) {
    this.ref = { workspace: job.workspace, name: job.name };
    this.done = this.execute();
  }

  /** Stops the job and its whole process tree; `done` settles once it is Canceled or Failed. */
  stop(reason: StopReason): void {
    if (!this.stopReason) this.stoppedWhile = this.phase;
    this.stopReason ??= reason;
    this.abort.abort();
    if (this.command) void this.command.stop();
  }

  private get key(): string {
    return `${this.job.workspace}/${this.job.name}`;
  }

  private async execute(): Promise<void> {
    let runDir: string | undefined;
    let log: BlobLogAppender | undefined;
    let failure: JobFailure | undefined;
    let exit: ProcessExit | undefined;
    let stderr = new LastLines();
    try {
      const warnings = this.job.environmentId && this.job.environmentId !== localMachineEnvironmentId
        ? [{ source: 'local-workspace', message: `The local workspace runs with this machine's Python; environment ${this.job.environmentId} is not used.` }]
        : [];
      await this.advance('Preparing', { warnings });
      runDir = await fs.mkdtemp(path.join(this.services.runsDir, `${this.job.name}-`));
      const codeDir = path.join(runDir, 'code');
      const data: DataContext = { workspace: this.job.workspace, datastores: this.services.datastores, signal: this.abort.signal };
      await this.downloadCode(codeDir);
      await fs.mkdir(path.join(codeDir, 'outputs'), { recursive: true });
      const inputs = await prepareInputs(this.job.inputs, path.join(runDir, 'inputs'), data);
      const outputs = await prepareOutputs(this.job.outputs, path.join(runDir, 'outputs'));
      const commandLine = this.substitute(inputs, outputs.values);

      log = new BlobLogAppender(this.services.container(this.job.artifacts.container).getAppendBlobClient(this.job.artifacts.stdLogBlob), {
        flushIntervalMs: this.services.logFlushIntervalMs,
        onError: (error) => this.services.log(`job ${this.job.name}: writing its log failed: ${toAzureMlError(error).message}`),
      });
      await log.create();
      await this.services.jobs.updateJob(this.ref, { logFiles: [stdLogFile] });
      await this.advance('Running');
      this.phase = 'running';
      ({ exit, stderr } = await this.runProcess(commandLine, codeDir, log));

      this.phase = 'finalizing';
      if (!this.stopReason) await this.advance('Finalizing');
      await log.close();
      log = undefined;
      if (!this.stopReason) await this.uploadResults(codeDir, outputs.uploads, data);
    } catch (error) {
      if (!(error instanceof Interrupted) && !this.stopReason) {
        failure = error instanceof JobFailure ? error : new JobFailure('ServiceError', `The local workspace could not run the job: ${reasonOf(error)}`);
      }
    } finally {
      await log?.close();
      if (runDir) await fs.rm(runDir, { recursive: true, force: true }).catch(() => undefined);
    }
    await this.finish(failure, exit, stderr);
  }

  /** Moves the job on, unless it was canceled or stopped meanwhile (then Interrupted). */
  private async advance(status: JobStatus, extra?: JobUpdate): Promise<void> {
    this.throwIfStopped();
    await this.services.jobs.updateJobStatus(this.ref, status, extra);
  }

  private throwIfStopped(): void {
    const current = this.services.jobs.getJob(this.ref);
    if (current?.status === 'CancelRequested') this.stopReason ??= 'cancel';
    if (!current || isTerminal(current.status) || this.stopReason) throw new Interrupted();
  }

  private substitute(inputs: Record<string, CommandValue>, outputs: Record<string, CommandValue>): string {
    try {
      return substituteReferences(this.job.command, { inputs, outputs });
    } catch (error) {
      if (error instanceof UnresolvedReferenceError) throw new JobFailure('UserError', error.message);
      throw error;
    }
  }

  private async downloadCode(codeDir: string): Promise<void> {
    await fs.mkdir(codeDir, { recursive: true });
    const { codeId, codeUri } = this.job;
    if (!codeId) return;
    if (!codeUri) throw new JobFailure('UserError', `The job's code (${codeId}) no longer exists.`);
    const signal = this.abort.signal;
    try {
      const inDatastore = parseDatastoreUri(codeUri);
      if (inDatastore) {
        const storage = await this.services.datastores.open(this.job.workspace, inDatastore.datastore);
        const folder = inDatastore.path.replace(/\/+$/, '');
        const single = codeFilePath(codeDir, path.posix.basename(folder) || 'code');
        if (storage.kind === 'blob') {
          if (await downloadBlobFolder(storage.container, folder, codeDir, signal) === 0 && folder) await downloadBlobFile(storage.container, folder, single, signal);
        } else if (await downloadShareFolder(storage.share, folder, codeDir, signal) === 0 && folder) {
          await downloadShareFile(storage.share, folder, single, signal);
        }
        return;
      }
      const local = parseLocalBlobUri(codeUri, this.services.blobEndpoint);
      if (!local) {
        throw new JobFailure('UserError', `The job's code is stored at ${maskSecrets(codeUri)}, outside the local workspace's storage.`);
      }
      const container = this.services.container(local.container);
      // A snapshot is a folder; a code asset of one file is that blob itself.
      if (await downloadBlobFolder(container, local.path, codeDir, signal) === 0 && local.path) {
        await downloadBlobFile(container, local.path, codeFilePath(codeDir, path.posix.basename(local.path)), signal);
      }
    } catch (error) {
      if (error instanceof JobFailure || this.stopReason) throw error;
      throw new JobFailure('ServiceError', `The code snapshot could not be downloaded: ${toAzureMlError(error).message}`);
    }
  }

  private async runProcess(commandLine: string, cwd: string, log: BlobLogAppender): Promise<{ exit: ProcessExit; stderr: LastLines }> {
    const stderr = new LastLines();
    const marker = randomBytes(12).toString('hex');
    const env = {
      ...jobEnvironment(this.job, {
        ...(this.services.toolsDir ? { toolsDir: this.services.toolsDir } : {}),
        ...(this.services.tracking ? { tracking: this.services.tracking(this.job) } : {}),
      }),
      [runMarkerVariable]: marker,
    };
    const command = runCommand(commandLine, {
      shell: this.services.shell,
      cwd,
      env,
      graceMs: this.services.graceMs,
      output: {
        write: (chunk, stream) => {
          if (stream === 'stderr') stderr.push(chunk);
          return log.write(chunk);
        },
        drained: () => log.drained(),
      },
    });
    this.command = command;
    if (this.stopReason) void command.stop();
    if (command.pid !== undefined) await this.services.registry.add(this.key, command.pid, marker);
    const limitMs = this.job.timeout ? isoDurationMs(this.job.timeout) : undefined;
    const deadline = limitMs !== undefined ? Date.now() + limitMs : undefined;
    let timer: NodeJS.Timeout | undefined;
    const armTimer = (): void => {
      if (deadline === undefined) return;
      const left = deadline - Date.now();
      timer = setTimeout(() => {
        if (Date.now() < deadline) return armTimer();
        this.timedOut = true;
        void command.stop();
      }, Math.min(Math.max(left, 0), maxTimerMs));
    };
    armTimer();
    try {
      return { exit: await command.finished, stderr };
    } finally {
      clearTimeout(timer);
      if (command.pid !== undefined) await this.services.registry.remove(this.key);
    }
  }

  private async uploadResults(codeDir: string, uploads: readonly OutputUpload[], data: DataContext): Promise<void> {
    const { container, prefix } = this.job.artifacts;
    try {
      await uploadFolderToBlobs(this.services.container(container), path.join(codeDir, 'outputs'), `${prefix}outputs`, this.abort.signal);
    } catch (error) {
      if (this.stopReason) throw error;
      throw new JobFailure('ServiceError', `The job's ./outputs folder could not be uploaded: ${toAzureMlError(error).message}`);
    }
    await uploadOutputs(uploads, data);
  }

  /** Sets the final status: Canceled, Failed (with the reason) or Completed. */
  private async finish(failure: JobFailure | undefined, exit: ProcessExit | undefined, stderr: LastLines): Promise<void> {
    const current = this.services.jobs.getJob(this.ref);
    if (!current || isTerminal(current.status)) return;
    let status: JobStatus;
    let error: JobFailure | undefined;
    if (current.status === 'CancelRequested' || this.stopReason === 'cancel') {
      status = 'Canceled';
    } else if (this.stopReason === 'shutdown') {
      status = 'Failed';
      error = new JobFailure('ServiceError', `The local workspace stopped while this job was ${this.stoppedWhile}; the job was stopped with it. Submit it again.`);
    } else if (this.timedOut) {
      status = 'Failed';
      error = new JobFailure('UserError', `The job ran longer than its time limit (${this.job.timeout}) and was stopped.`);
    } else if (exit && (exit.error || exit.code !== 0)) {
      // The command's own failure explains more than an upload failing after it.
      status = 'Failed';
      error = exitFailure(exit, stderr);
    } else if (failure) {
      status = 'Failed';
      error = failure;
    } else {
      status = 'Completed';
    }
    try {
      await this.services.jobs.updateJobStatus(this.ref, status, error ? { error: { code: error.code, message: error.message } } : {});
    } catch (e) {
      // Ended elsewhere meanwhile (e.g. canceled at the same moment): its status stands.
      this.services.log(`job ${this.job.name}: could not set ${status}: ${reasonOf(e)}`);
    }
  }
}
