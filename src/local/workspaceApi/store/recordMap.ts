import { readJsonFile, type JsonFileWriter } from './jsonFileWriter';

interface StoredFile<T> {
  version: 1;
  items: T[];
}

/**
 * A collection of records persisted as one JSON file. Keys come from the records
 * themselves; case-insensitive collections fold keys to lower case.
 */
export class RecordMap<T> {
  private readonly records = new Map<string, T>();

  private constructor(
    private readonly file: string,
    private readonly writer: JsonFileWriter,
    private readonly keyOf: (record: T) => string,
    private readonly caseInsensitive: boolean,
  ) {}

  static async load<T>(
    file: string,
    writer: JsonFileWriter,
    keyOf: (record: T) => string,
    options: { caseInsensitive?: boolean } = {},
  ): Promise<RecordMap<T>> {
    const map = new RecordMap<T>(file, writer, keyOf, options.caseInsensitive ?? false);
    const stored = await readJsonFile<StoredFile<T>>(file);
    for (const item of stored?.items ?? []) map.records.set(map.normalize(keyOf(item)), item);
    return map;
  }

  private normalize(key: string): string {
    return this.caseInsensitive ? key.toLowerCase() : key;
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

  private persist(): void {
    this.writer.schedule(this.file, (): StoredFile<T> => ({ version: 1, items: this.values() }));
  }
}
