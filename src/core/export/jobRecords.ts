import * as l10n from '@vscode/l10n';
import { artifactDatastoreName, jobArtifactFolder } from '../../azure/artifactPaths';
import type { DatastoreStorage } from '../../azure/datastoreStorage';
import type { Job } from '../../azure/domain';
import { AzureMlError } from '../../azure/errors';
import { metricHistoryPages } from '../../azure/metricHistory';
import type { TrackedRun } from '../../azure/runMetrics';
import { jsonMetricValue } from '../metricSummary';
import { downloadFromDatastore, folderNotFoundCode } from '../transfer/downloadFolder';
import { openDatastoreForTransfer } from '../transfer/openDatastore';
import { localPathForRemoteName } from '../transfer/pathSafety';
import { normalizeRemoteFolder } from '../transfer/remotePaths';
import { defaultTuning, remoteStoreFor } from '../transfer/tuning';
import type { KindContext, RecordSink, WriteOutcome } from './exportKinds';
import { plainRecord } from './exportKinds';
import type { NotWrittenFile } from './exportState';

const linesPerWrite = 1000;

/** A tracked run as written: metric values NaN and ±Infinity as strings, as MLflow sends them. */
export function plainTrackedRun(run: TrackedRun): unknown {
  const metrics: Record<string, unknown> = {};
  for (const [key, latest] of Object.entries(run.metrics)) metrics[key] = { ...latest, value: jsonMetricValue(latest.value) };
  return plainRecord({ ...run, metrics });
}

/**
 * Each job: a line in jobs.jsonl (the job as the service describes it, and its MLflow run with
 * params and tags), every point of every metric in metrics.jsonl, every artifact file's name and
 * size in artifacts.jsonl; with includeArtifacts, the files themselves under artifacts/<job>/.
 */
export class JobExporter {
  private storage: Promise<DatastoreStorage> | undefined;

  constructor(private readonly context: KindContext) {}

  async write(job: Job, sink: RecordSink, signal: AbortSignal | undefined): Promise<WriteOutcome> {
    const { client } = this.context;
    const run = await this.trackedRun(job.name, signal);
    for (const key of Object.keys(run?.metrics ?? {}).sort()) {
      for await (const points of metricHistoryPages(client.metrics, job.name, key, signal ? { signal } : {})) {
        await sink('metrics.jsonl', points.map((p) => ({ job: job.name, key, step: p.step, timestamp: p.timestamp, value: jsonMetricValue(p.value) })));
      }
    }
    // The files first, so that each line of the list can say when its file was not written.
    const notWritten = this.context.includeArtifacts ? await this.downloadArtifacts(job.name, signal) : [];
    await this.writeArtifactList(job.name, sink, signal, notWritten);
    await sink('jobs.jsonl', [{ job: plainRecord(job), run: run ? plainTrackedRun(run) : null }]);
    return notWritten.length > 0 ? { artifactsNotWritten: notWritten } : {};
  }

  private async trackedRun(jobName: string, signal: AbortSignal | undefined): Promise<TrackedRun | undefined> {
    try {
      return await this.context.client.metrics.getRun(jobName, signal);
    } catch (error) {
      // A job MLflow does not know (a pipeline's parent, say) has no params, tags or metrics to export.
      if (error instanceof AzureMlError && error.code === 'RunNotFound') return undefined;
      throw error;
    }
  }

  private artifactStorage(): Promise<DatastoreStorage> {
    const { client, userCredential } = this.context;
    this.storage ??= client.datastores.get(artifactDatastoreName)
      .then((datastore) => openDatastoreForTransfer(client, datastore, userCredential));
    this.storage.catch(() => {
      this.storage = undefined;
    });
    return this.storage;
  }

  /** Each artifact file's name and size; a file the export did not write has `notWritten` (why) on its line. */
  private async writeArtifactList(jobName: string, sink: RecordSink, signal: AbortSignal | undefined, notWritten: readonly NotWrittenFile[]): Promise<void> {
    const store = remoteStoreFor(await this.artifactStorage(), defaultTuning);
    const reasons = new Map(notWritten.map((file) => [file.path, file.reason]));
    let lines: unknown[] = [];
    for await (const entry of store.list(normalizeRemoteFolder(jobArtifactFolder(jobName)), signal ?? new AbortController().signal)) {
      if (entry.kind !== 'file') continue;
      const reason = reasons.get(entry.name);
      reasons.delete(entry.name);
      lines.push({ job: jobName, path: entry.name, size: entry.size, ...(reason === undefined ? {} : { notWritten: reason }) });
      if (lines.length >= linesPerWrite) {
        await sink('artifacts.jsonl', lines);
        lines = [];
      }
    }
    // Refused entries the list has no file line for (a folder, say) get a line of their own.
    for (const [name, reason] of reasons) lines.push({ job: jobName, path: name, notWritten: reason });
    await sink('artifacts.jsonl', lines);
  }

  /**
   * Downloads the job's artifact files into artifacts/<job>/. A failed file stops the export (run
   * again, it is retried); a name refused here (unsafe, or clashing with another but for case)
   * would be refused again, so it is answered, counted in the index and marked in artifacts.jsonl.
   */
  private async downloadArtifacts(jobName: string, signal: AbortSignal | undefined): Promise<NotWrittenFile[]> {
    const target = localPathForRemoteName(this.context.artifactsFolder, jobName);
    if (!target.ok) throw new AzureMlError(l10n.t('The artifacts of job "{0}" are not downloaded: its name cannot be a folder name ({1}).', jobName, target.reason), undefined, 'UnsafeName');
    const result = await downloadFromDatastore(
      { storage: await this.artifactStorage(), remotePath: jobArtifactFolder(jobName), localRoot: target.localPath, policy: 'skipUnchanged' },
      signal ? { signal } : {});
    if (result.canceled) signal?.throwIfAborted();
    if (result.fatal && result.fatal.code !== folderNotFoundCode) throw new AzureMlError(result.fatal.message, result.fatal.status, result.fatal.code);
    if (result.failed.length > 0) {
      const first = result.failed[0]!;
      throw new AzureMlError(l10n.t('{0} artifact files of job "{1}" could not be downloaded; the first, {2}: {3}. Run the export again to retry them.', result.failed.length, jobName, first.path, first.reason), undefined, 'ArtifactDownloadFailed');
    }
    return result.notTransferred.map((file) => ({ job: jobName, path: file.path, reason: file.reason }));
  }
}
