import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { JsonFileWriter } from './jsonFileWriter';
import { RecordMap } from './recordMap';
import type { AssetContainerRecord, AssetVersionRecord, DatastoreRecord, JobRecord, WorkspaceRecord } from './records';

export interface AssetCollections {
  containers: RecordMap<AssetContainerRecord>;
  /** Keyed `<name>/<version>`. */
  versions: RecordMap<AssetVersionRecord>;
}

/** Everything one workspace holds; each collection is its own JSON file under `dir`. */
export interface WorkspaceData {
  record: WorkspaceRecord;
  dir: string;
  datastores: RecordMap<DatastoreRecord>;
  codes: AssetCollections;
  models: AssetCollections;
  jobs: RecordMap<JobRecord>;
}

export function versionKey(name: string, version: string): string {
  return `${name}/${version}`;
}

/**
 * The workspaces of the local service and their data, loaded from and saved to
 * `<stateDir>/workspaces.json` and `<stateDir>/workspaces/<workspaceId>/*.json`.
 */
export class WorkspaceStore {
  private readonly data = new Map<string, WorkspaceData>();
  private readonly creating = new Map<string, Promise<WorkspaceData>>();
  private changes: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly stateDir: string,
    private readonly writer: JsonFileWriter,
    private readonly workspaces: RecordMap<WorkspaceRecord>,
  ) {}

  static async open(stateDir: string, writer: JsonFileWriter): Promise<WorkspaceStore> {
    await fs.mkdir(stateDir, { recursive: true });
    const workspaces = await RecordMap.load<WorkspaceRecord>(
      path.join(stateDir, 'workspaces.json'), writer, (w) => w.name, { caseInsensitive: true });
    const store = new WorkspaceStore(stateDir, writer, workspaces);
    for (const record of workspaces.values()) store.data.set(record.name.toLowerCase(), await store.loadData(record));
    return store;
  }

  private async loadData(record: WorkspaceRecord): Promise<WorkspaceData> {
    const dir = path.join(this.stateDir, 'workspaces', record.workspaceId);
    const file = (name: string): string => path.join(dir, `${name}.json`);
    const versionKeyOf = (v: AssetVersionRecord): string => versionKey(v.name, v.version);
    return {
      record,
      dir,
      datastores: await RecordMap.load<DatastoreRecord>(file('datastores'), this.writer, (d) => d.name, { caseInsensitive: true }),
      codes: {
        containers: await RecordMap.load<AssetContainerRecord>(file('codeContainers'), this.writer, (c) => c.name),
        versions: await RecordMap.load<AssetVersionRecord>(file('codeVersions'), this.writer, versionKeyOf),
      },
      models: {
        containers: await RecordMap.load<AssetContainerRecord>(file('modelContainers'), this.writer, (c) => c.name),
        versions: await RecordMap.load<AssetVersionRecord>(file('modelVersions'), this.writer, versionKeyOf),
      },
      jobs: await RecordMap.load<JobRecord>(file('jobs'), this.writer, (j) => j.name),
    };
  }

  /**
   * Runs one change at a time (API handlers that change state, job status updates): a change
   * and its commit never interleave with another's, so a failed write rolls back only its own.
   */
  exclusive<T>(change: () => Promise<T>): Promise<T> {
    const result = this.changes.then(change);
    this.changes = result.catch(() => undefined);
    return result;
  }

  /**
   * Writes every pending change durably. When that fails the changes not written are rolled
   * back in memory too, and it rejects (the API answers 500): nothing claims to be saved that is not.
   */
  async commit(): Promise<void> {
    try {
      await this.writer.flush();
    } catch (error) {
      await this.resyncWorkspaces();
      throw error;
    }
  }

  /**
   * Runs a state-changing request alone: when it fails, what it changed is rolled back;
   * whatever it left unsaved is committed before the next change starts.
   */
  transaction(change: () => Promise<void>): Promise<void> {
    return this.exclusive(async () => {
      try {
        await change();
      } catch (error) {
        this.writer.discard();
        await this.resyncWorkspaces();
        throw error;
      }
      await this.commit();
    });
  }

  /** After a rollback of workspaces.json: a workspace created meanwhile goes, a removed one returns. */
  private async resyncWorkspaces(): Promise<void> {
    for (const key of [...this.data.keys()]) if (!this.workspaces.has(key)) this.data.delete(key);
    for (const record of this.workspaces.values()) {
      const key = record.name.toLowerCase();
      if (!this.data.has(key)) this.data.set(key, await this.loadData(record));
    }
  }

  list(): WorkspaceData[] {
    return [...this.data.values()].sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt));
  }

  get(name: string): WorkspaceData | undefined {
    return this.data.get(name.toLowerCase());
  }

  /** Adds a workspace; a concurrent create of the same name gets the first one's data. */
  async create(record: WorkspaceRecord): Promise<WorkspaceData> {
    const key = record.name.toLowerCase();
    const existing = this.data.get(key) ?? this.creating.get(key);
    if (existing) return existing;
    const creation = (async () => {
      this.workspaces.set(record);
      const data = await this.loadData(record);
      this.data.set(key, data);
      return data;
    })();
    this.creating.set(key, creation);
    try {
      return await creation;
    } finally {
      this.creating.delete(key);
    }
  }

  /** Persists changes made to `data.record` in place. */
  saveRecord(data: WorkspaceData): void {
    this.workspaces.set(data.record);
  }

  async remove(name: string): Promise<void> {
    const data = this.get(name);
    if (!data) return;
    this.data.delete(name.toLowerCase());
    this.workspaces.delete(name);
    this.writer.forgetUnder(data.dir);
    // Its folder goes only once workspaces.json no longer names it.
    await this.commit();
    await fs.rm(data.dir, { recursive: true, force: true });
  }
}
