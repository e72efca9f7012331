import type { TokenCredential } from '@azure/core-auth';
import type { Experiment, Job, Page } from '../../azure/domain';
import { repeatedPageError } from '../../azure/errors';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import type { NotWrittenFile } from './exportState';
import { JobExporter } from './jobRecords';

/** Where a kind's records go: one of its files, by name. */
export type RecordSink = (file: string, records: readonly unknown[]) => Promise<void>;

/** What writing one item left undone: artifact files it did not write, and why (counted in the index). */
export interface WriteOutcome {
  artifactsNotWritten?: NotWrittenFile[];
}

/** One kind of workspace data: a paged list, and what each item writes. */
export interface ExportKind<T = unknown> {
  name: string;
  /** Its files; the first holds one line per listed item. */
  files: string[];
  listPage(continuationToken: string | undefined): Promise<Page<T>>;
  /** Unique within the list: how a resumed export knows an item is already written. */
  idOf(item: T): string;
  write(item: T, sink: RecordSink, signal: AbortSignal | undefined): Promise<WriteOutcome | void>;
}

export interface KindContext {
  client: WorkspaceClient;
  includeArtifacts: boolean;
  /** Where `--include-artifacts` puts each job's files (`<folder>/artifacts/<job>/`). */
  artifactsFolder: string;
  userCredential?: TokenCredential;
}

/** Domain objects as they are written: dates as ISO strings, undefined fields left out. */
export function plainRecord(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function kindOf<T>(kind: ExportKind<T>): ExportKind {
  return kind as ExportKind;
}

function simpleKind<T extends { id: string }>(name: string, listPage: (token: string | undefined) => Promise<Page<T>>): ExportKind<T> {
  const file = `${name}.jsonl`;
  return {
    name,
    files: [file],
    listPage,
    idOf: (item) => item.id,
    write: (item, sink) => sink(file, [plainRecord(item)]),
  };
}

/** A kind whose items have versions: the items in `<name>.jsonl`, every version in `<versionsFile>`, page by page. */
function versionedKind<T extends { id: string; name: string }, V>(
  name: string,
  versionsFile: string,
  listPage: (token: string | undefined) => Promise<Page<T>>,
  listVersions: (itemName: string, token: string | undefined) => Promise<Page<V>>,
): ExportKind<T> {
  const file = `${name}.jsonl`;
  return {
    name,
    files: [file, versionsFile],
    listPage,
    idOf: (item) => item.id,
    async write(item, sink, signal) {
      let token: string | undefined;
      const seen = new Set<string>();
      do {
        signal?.throwIfAborted();
        const page = await listVersions(item.name, token);
        await sink(versionsFile, page.items.map(plainRecord));
        token = page.continuationToken;
        if (token !== undefined && seen.has(token)) throw repeatedPageError();
        if (token !== undefined) seen.add(token);
      } while (token !== undefined);
      await sink(file, [plainRecord(item)]);
    },
  };
}

/** Every kind, in the order they are exported (jobs last: the longest). */
export function exportKinds(context: KindContext): ExportKind[] {
  const { client } = context;
  const jobs = new JobExporter(context);
  return [
    simpleKind('computes', (continuationToken) => client.computes.list(continuationToken ? { continuationToken } : {})),
    simpleKind('datastores', (continuationToken) => client.datastores.list(continuationToken ? { continuationToken } : {})),
    simpleKind('environments', (continuationToken) => client.environments.list(continuationToken ? { continuationToken } : {})),
    versionedKind('codes', 'code-versions.jsonl',
      (continuationToken) => client.codes.listContainers(continuationToken ? { continuationToken } : {}),
      (name, continuationToken) => client.codes.listVersions(name, continuationToken ? { continuationToken } : {})),
    simpleKind('data', (continuationToken) => client.dataAssets.list(continuationToken ? { continuationToken } : {})),
    versionedKind('models', 'model-versions.jsonl',
      (continuationToken) => client.models.list({ listViewType: 'All', ...(continuationToken ? { continuationToken } : {}) }),
      (name, continuationToken) => client.models.listVersions(name, { listViewType: 'All', ...(continuationToken ? { continuationToken } : {}) })),
    kindOf<Experiment>({
      name: 'experiments',
      files: ['experiments.jsonl'],
      listPage: (continuationToken) => client.runHistory.listExperiments({ viewType: 'All', ...(continuationToken ? { continuationToken } : {}) }),
      idOf: (experiment) => experiment.experimentId,
      write: (experiment, sink) => sink('experiments.jsonl', [plainRecord(experiment)]),
    }),
    kindOf<Job>({
      name: 'jobs',
      files: ['jobs.jsonl', 'metrics.jsonl', 'artifacts.jsonl'],
      listPage: (continuationToken) => client.jobs.list({ listViewType: 'All', ...(continuationToken ? { continuationToken } : {}) }),
      idOf: (job) => job.name,
      write: (job, sink, signal) => jobs.write(job, sink, signal),
    }),
  ] as ExportKind[];
}
