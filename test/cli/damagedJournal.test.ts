import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeDiscoveryFile } from '../../src/local/discovery';
import { startFaultyWorkspace, type FaultyWorkspace } from '../faults/faultyWorkspace';
import { runNodeAsync, type CliResult } from '../support/azmlCli';
import { ensureBuilt, repoRoot } from '../support/repo';

/** A row of `azml transfers --json`: an intact journal has its plan, a damaged plan only an id and why. */
interface ListedRow { plan?: { id: string }; id?: string; damaged?: string }

/**
 * Journals of real `azml` transfers, killed midway (SIGKILL, as a crash or a closed terminal),
 * whose plan is then damaged: `azml transfers` must still list them (with their id, saying they
 * can't be resumed) and `--discard` must forget them, or their folders stay forever unseen. The
 * CLI reaches the local workspace through a pass-through proxy that holds chosen requests
 * unanswered, so a transfer is caught running.
 */
describe('azml transfers with a journal whose plan is damaged', function () {
  this.timeout(300_000);
  let workspace: FaultyWorkspace;
  let work: string;
  let proxiedData: string;
  let stateHome: string;
  const seen: string[] = [];
  /** Requests the proxies hold unanswered. */
  let stallWhen: ((key: string) => boolean) | undefined;

  const cliArgs = (args: string[]): string[] => [path.join(repoRoot, 'dist', 'cli.js'), ...args, '--local', '--data', proxiedData];
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, XDG_STATE_HOME: stateHome });
  const journalsDir = (): string => path.join(stateHome, 'azml', 'transfers');
  const journalIds = (): string[] => (existsSync(journalsDir()) ? readdirSync(journalsDir()) : []);

  /** For commands that reach no storage (the proxies live in this process, which spawnSync blocks). */
  const azml = (args: string[]): CliResult => {
    const result = spawnSync(process.execPath, cliArgs(args), { encoding: 'utf8', timeout: 120_000, env: env() });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  const azmlAsync = (args: string[]): Promise<CliResult> => runNodeAsync(cliArgs(args), env());

  /** Starts the CLI and waits until its new journal is there and `ready` holds; answers it running. */
  const azmlRunning = async (args: string[], ready: (id: string) => boolean): Promise<{ child: ChildProcess; id: string; exited: Promise<unknown> }> => {
    const before = new Set(journalIds());
    const child = spawn(process.execPath, cliArgs(args), { stdio: 'ignore', env: env() });
    const exited = once(child, 'exit');
    let ended = false;
    void exited.then(() => (ended = true));
    let id: string | undefined;
    for (let waited = 0; !ended && waited < 60_000 && !(id && ready(id)); waited += 50) {
      id = journalIds().find((name) => !before.has(name));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(!ended && id && ready(id), 'the transfer started, keeps a journal and runs');
    return { child, id, exited };
  };

  /** Kills it (SIGKILL); waits until the requests it had sent stop arriving. */
  const kill = async (running: { child: ChildProcess; exited: Promise<unknown> }): Promise<void> => {
    running.child.kill('SIGKILL');
    await running.exited;
    stallWhen = undefined;
    for (let count = -1; count !== seen.length;) {
      count = seen.length;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };

  const listed = (): ListedRow[] => {
    const list = azml(['transfers', '--json']);
    assert.equal(list.status, 0, list.stderr);
    return JSON.parse(list.stdout) as ListedRow[];
  };

  before(async () => {
    ensureBuilt();
    workspace = await startFaultyWorkspace({ seed: 31, rate: 0 });
    const decide = workspace.schedule.decide.bind(workspace.schedule);
    workspace.schedule.decide = (key, allowed) => {
      seen.push(key);
      if (stallWhen?.(key) && allowed.includes('stall')) return 'stall';
      return decide(key, allowed);
    };
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-damaged-journal-'));
    proxiedData = path.join(work, 'proxied-data');
    stateHome = path.join(work, 'state');
    mkdirSync(proxiedData);
    await writeDiscoveryFile(proxiedData, workspace.connection);
  });
  after(async () => {
    stallWhen = undefined;
    await workspace?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('an upload killed midway whose plan is cut off: listed as damaged with its id once no process runs it; resume refuses; --discard removes its folder', async () => {
    const folder = path.join(work, 'cut-off');
    mkdirSync(folder);
    for (let i = 0; i < 5; i++) writeFileSync(path.join(folder, `f${i}.bin`), randomBytes(2048));
    const isPut = (key: string): boolean => /^blob PUT \/[^?]*\/cut-off\/f\d\.bin\?/.test(key);
    stallWhen = isPut;
    const running = await azmlRunning(['upload', folder, '--datastore', 'workspaceblobstore'], () => seen.some(isPut));
    const { id } = running;
    const planFile = path.join(journalsDir(), id, 'plan.json');
    const plan = readFileSync(planFile, 'utf8');
    writeFileSync(planFile, plan.slice(0, plan.length / 2));

    try {
      // While it runs, its journal is the running process's: neither listed nor discarded.
      assert.equal(azml(['transfers']).stdout, 'No interrupted transfers.\n');
      const refused = azml(['transfers', '--discard', id]);
      assert.equal(refused.status, 2);
      assert.match(refused.stderr, new RegExp(`Transfer ${id} is running now \\(process ${running.child.pid}\\)`));
      assert.ok(existsSync(planFile), 'its journal is still there');
    } finally {
      await kill(running);
    }

    const list = azml(['transfers']);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^Damaged: these can't be resumed, only discarded \(azml transfers --discard <id>\):$/m);
    assert.match(list.stdout, new RegExp(`^${id}\\s+\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z\\s+its plan is cut off or is not JSON$`, 'm'));
    assert.doesNotMatch(list.stdout, /done so far|files left|No interrupted transfers/, 'not shown as a transfer with nothing done');

    const resume = await azmlAsync(['upload', '--resume', id]);
    assert.equal(resume.status, 2);
    assert.match(resume.stderr, new RegExp(`The journal of transfer ${id} is damaged \\(its plan is cut off or is not JSON\\): it can't be resumed\\.`));

    const discard = azml(['transfers', '--discard', id]);
    assert.equal(discard.status, 0, discard.stderr);
    assert.match(discard.stdout, new RegExp(`^Discarded transfer ${id}\\.`));
    assert.ok(!existsSync(path.join(journalsDir(), id)), 'its folder is gone');
    assert.equal(azml(['transfers']).stdout, 'No interrupted transfers.\n');
  });

  it('a download killed midway whose plan is not JSON is listed beside an intact transfer (also in --json); --discard leaves its partly downloaded file, which it names', async () => {
    // An intact interrupted transfer: an upload that failed on a link to nothing.
    const broken = path.join(work, 'broken');
    mkdirSync(broken);
    writeFileSync(path.join(broken, 'ok.txt'), 'ok');
    symlinkSync(path.join(broken, 'missing.txt'), path.join(broken, 'gone.txt'));
    const before = new Set(journalIds());
    assert.equal((await azmlAsync(['upload', broken, '--datastore', 'workspaceblobstore'])).status, 1);
    const intact = journalIds().find((name) => !before.has(name));
    assert.ok(intact, 'the failed upload kept its journal');

    const MiB = 1024 * 1024;
    const source = path.join(work, 'big-down');
    mkdirSync(source);
    writeFileSync(path.join(source, 'big.bin'), randomBytes(32 * MiB));
    const uploaded = await azmlAsync(['upload', source, '--datastore', 'workspaceblobstore']);
    assert.equal(uploaded.status, 0, uploaded.stderr);
    const to = path.join(work, 'big-local');
    const isGet = (key: string): boolean => /^blob GET \/[^?]*\/big-down\/big\.bin\?/.test(key);
    stallWhen = (key) => isGet(key) && Number(/bytes=(\d+)-/.exec(key)?.[1] ?? 0) >= 16 * MiB;
    const rangesDone = (id: string): boolean => {
      const file = path.join(journalsDir(), id, 'done.jsonl');
      return existsSync(file) && readFileSync(file, 'utf8').includes('"r":"big.bin"');
    };
    const running = await azmlRunning(['download', '--datastore', 'workspaceblobstore', '--path', 'big-down', '--to', to], rangesDone);
    await kill(running);
    const { id } = running;
    const partial = readdirSync(to).filter((name) => name.startsWith('.azml-download-'));
    assert.equal(partial.length, 1, 'the killed download left its partly downloaded file');
    writeFileSync(path.join(journalsDir(), id, 'plan.json'), 'not JSON at all');

    const list = azml(['transfers']);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`^${intact}\\s+upload\\s+broken\\s+workspaceblobstore/broken\\s+0 of 1 files`, 'm'));
    assert.match(list.stdout, new RegExp(`^${id}\\s+\\S+ \\S+\\s+its plan is cut off or is not JSON$`, 'm'));
    const rows = listed().filter((row) => [intact, id].includes(row.plan?.id ?? row.id ?? ''));
    assert.deepEqual(rows.map((row) => row.plan?.id ?? row.id), [intact, id]);
    assert.equal(rows[1]!.damaged, 'its plan is cut off or is not JSON');
    assert.equal(rows[1]!.plan, undefined, 'no plan is made up for it');

    const discard = azml(['transfers', '--discard', id]);
    assert.equal(discard.status, 0, discard.stderr);
    const named = /look for files named (\.azml-download-[0-9a-f]+)… in the folder it downloaded to/.exec(discard.stdout);
    assert.ok(named, discard.stdout);
    assert.ok(partial[0]!.startsWith(named[1]!), `the partly downloaded file ${partial[0]} is named by ${named[1]}`);
    assert.deepEqual(readdirSync(to).filter((name) => name.startsWith('.azml-download-')), partial,
      'a file its plan no longer says it made is not removed');
    assert.ok(!existsSync(path.join(journalsDir(), id)), 'its folder is gone');
    const left = listed().map((row) => row.plan?.id ?? row.id);
    assert.ok(left.includes(intact) && !left.includes(id), `the intact one is still listed, the damaged one no more: ${left.join(', ')}`);
    assert.equal(azml(['transfers', '--discard', intact]).status, 0);
  });
});
