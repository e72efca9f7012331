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
    // Let writes already under way finish before the folder goes.
    await this.writer.flush().catch(() => undefined);
    await fs.rm(data.dir, { recursive: true, force: true });
  }
}
