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
import type { KindContext, RecordSink } from './exportKinds';
import { plainRecord } from './exportKinds';

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

  async write(job: Job, sink: RecordSink, signal: AbortSignal | undefined): Promise<void> {
    const { client } = this.context;
    const run = await this.trackedRun(job.name, signal);
    for (const key of Object.keys(run?.metrics ?? {}).sort()) {
      for await (const points of metricHistoryPages(client.metrics, job.name, key, signal ? { signal } : {})) {
        await sink('metrics.jsonl', points.map((p) => ({ job: job.name, key, step: p.step, timestamp: p.timestamp, value: jsonMetricValue(p.value) })));
      }
    }
    await this.writeArtifactList(job.name, sink, signal);
    if (this.context.includeArtifacts) await this.downloadArtifacts(job.name, signal);
    await sink('jobs.jsonl', [{ job: plainRecord(job), run: run ? plainTrackedRun(run) : null }]);
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

  private async writeArtifactList(jobName: string, sink: RecordSink, signal: AbortSignal | undefined): Promise<void> {
    const store = remoteStoreFor(await this.artifactStorage(), defaultTuning);
    let lines: unknown[] = [];
    for await (const entry of store.list(normalizeRemoteFolder(jobArtifactFolder(jobName)), signal ?? new AbortController().signal)) {
      if (entry.kind !== 'file') continue;
      lines.push({ job: jobName, path: entry.name, size: entry.size });
      if (lines.length >= linesPerWrite) {
        await sink('artifacts.jsonl', lines);
        lines = [];
      }
    }
    await sink('artifacts.jsonl', lines);
  }

  private async downloadArtifacts(jobName: string, signal: AbortSignal | undefined): Promise<void> {
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
  }
}
