import { readJsonFile, type JsonFileWriter, type PersistedFile } from './jsonFileWriter';

interface StoredFile<T> {
  version: 1;
  items: T[];
}

/**
 * A collection of records persisted as one JSON file. Keys come from the records
 * themselves; case-insensitive collections fold keys to lower case. It remembers what its
 * file holds, so that a change whose write failed can be rolled back.
 */
export class RecordMap<T extends object> implements PersistedFile {
  private readonly records = new Map<string, T>();
  /** Each record as its file holds it (JSON), by key. */
  private onDisk = new Map<string, string>();

  private constructor(
    private readonly file: string,
    private readonly writer: JsonFileWriter,
    private readonly keyOf: (record: T) => string,
    private readonly caseInsensitive: boolean,
  ) {}

  static async load<T extends object>(
    file: string,
    writer: JsonFileWriter,
    keyOf: (record: T) => string,
    options: { caseInsensitive?: boolean } = {},
  ): Promise<RecordMap<T>> {
    const map = new RecordMap<T>(file, writer, keyOf, options.caseInsensitive ?? false);
    const stored = await readJsonFile<StoredFile<T>>(file);
    for (const item of stored?.items ?? []) map.records.set(map.normalize(keyOf(item)), item);
    map.onDisk = map.serializedRecords(stored?.items ?? []);
    return map;
  }

  private normalize(key: string): string {
    return this.caseInsensitive ? key.toLowerCase() : key;
  }

  private serializedRecords(items: readonly T[]): Map<string, string> {
    return new Map(items.map((item) => [this.normalize(this.keyOf(item)), JSON.stringify(item)]));
  }

  get size(): number {
    return this.records.size;
  }

  get(key: string): T | undefined {
    return this.records.get(this.normalize(key));
  }

  has(key: string): boolean {
    return this.records.has(this.normalize(key));
  }

  values(): T[] {
    return [...this.records.values()];
  }

  set(record: T): void {
    this.records.set(this.normalize(this.keyOf(record)), record);
    this.persist();
  }

  delete(key: string): boolean {
    const deleted = this.records.delete(this.normalize(key));
    if (deleted) this.persist();
    return deleted;
  }

  /** Call after mutating a record obtained from get()/values() in place. */
  touch(): void {
    this.persist();
  }

  snapshot(): StoredFile<T> {
    return { version: 1, items: this.values() };
  }

  onDiskSnapshot(): StoredFile<T> {
    return { version: 1, items: [...this.onDisk.values()].map((json) => JSON.parse(json) as T) };
  }

  written(text: string): void {
    this.onDisk = this.serializedRecords((JSON.parse(text) as StoredFile<T>).items);
  }

  /**
   * Back to what the file holds. Records still held are restored in place, so that whoever
   * holds a reference to one (a workspace's record) sees the rollback too.
   */
  rollBack(): void {
    for (const key of [...this.records.keys()]) if (!this.onDisk.has(key)) this.records.delete(key);
    for (const [key, json] of this.onDisk) {
      const saved = JSON.parse(json) as T;
      const current = this.records.get(key);
      if (!current) {
        this.records.set(key, saved);
        continue;
      }
      for (const field of Object.keys(current)) delete (current as Record<string, unknown>)[field];
      Object.assign(current, saved);
    }
  }

  private persist(): void {
    this.writer.schedule(this.file, this);
  }
}
