import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Environment variable that marks every process of one run (children inherit it). */
export const runMarkerVariable = 'AZML_LOCAL_RUN';

type Entries = Record<string, { pid: number; marker: string }>;

/**
 * Remembers the job processes that are running, in a file, so that a service restarted after
 * a crash can stop the ones its predecessor left behind.
 */
export class ProcessRegistry {
  private entries: Entries = {};
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  add(key: string, pid: number, marker: string): Promise<void> {
    this.entries[key] = { pid, marker };
    return this.save();
  }

  remove(key: string): Promise<void> {
    delete this.entries[key];
    return this.save();
  }

  private save(): Promise<void> {
    const text = JSON.stringify(this.entries);
    this.writing = this.writing.then(async () => {
      const temp = `${this.file}.tmp`;
      await fs.writeFile(temp, text, { mode: 0o600 });
      await fs.rename(temp, this.file);
    }).catch(() => undefined);
    return this.writing;
  }

  /**
   * Kills processes left from runs listed by a previous service (found by their marker, so an
   * unrelated process that reuses a pid is never touched), then starts a fresh list. Linux only:
   * elsewhere there is no cheap way to read another process's environment.
   */
  async stopLeftovers(log: (line: string) => void): Promise<void> {
    let previous: Entries = {};
    try {
      previous = JSON.parse(await fs.readFile(this.file, 'utf8')) as Entries;
    } catch {
      // No list: nothing was running.
    }
    const markers = new Map(Object.entries(previous).map(([key, e]) => [`${runMarkerVariable}=${e.marker}`, key]));
    if (markers.size > 0 && process.platform === 'linux') {
      for (const pid of await markedProcesses(new Set(markers.keys()))) {
        try {
          process.kill(pid, 'SIGKILL');
          log(`job runner: stopped process ${pid}, left running by a previous run of the service`);
        } catch {
          // Gone meanwhile.
        }
      }
    }
    this.entries = {};
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await this.save();
  }
}

async function markedProcesses(markers: ReadonlySet<string>): Promise<number[]> {
  const found: number[] = [];
  for (const name of await fs.readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const environ = await fs.readFile(`/proc/${name}/environ`, 'latin1').catch(() => '');
    if (environ.split('\0').some((entry) => markers.has(entry))) found.push(Number(name));
  }
  return found;
}
