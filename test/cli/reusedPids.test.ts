import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TransferJournal } from '../../src/core/transfer/journal';
import { discoveryFilePath, writeDiscoveryFile, type LocalWorkspaceConnection } from '../../src/local/discovery';
import { ensureBuilt, repoRoot } from '../support/repo';

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function startTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

/**
 * A process that crashed leaves files naming it behind (a transfer's running.lock, the local
 * workspace's discovery file); after a reboot or long enough, its pid belongs to some other
 * program. What it left is then stale, not taken for something running.
 */
describe('azml: files left by a crashed process whose pid was given to another program', function () {
  this.timeout(120_000);
  let stateHome: string;
  let sleeper: ChildProcess | undefined;

  const azml = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], {
      encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_STATE_HOME: stateHome },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  before(function () {
    if (process.platform !== 'linux') this.skip(); // Only Linux tells a process's start time cheaply.
    ensureBuilt();
  });
  beforeEach(() => {
    stateHome = mkdtempSync(path.join(os.tmpdir(), 'azml-lock-reuse-'));
  });
  afterEach(() => {
    sleeper?.kill('SIGKILL');
    rmSync(stateHome, { recursive: true, force: true });
  });

  it('a transfer is listed as interrupted and can be discarded; while that process itself runs it, it is not', async () => {
    const localRoot = path.join(stateHome, 'photos');
    const journal = await TransferJournal.start(path.join(stateHome, 'azml'),
      { direction: 'upload', workspace: 'local', datastore: 'workspaceblobstore', remotePath: 'photos', localRoot, policy: 'overwrite' });
    const { id } = journal.plan;
    const lockFile = path.join(stateHome, 'azml', 'transfers', id, 'running.lock');
    // What the process that ran it wrote (this one, started before the program below).
    const crashed = JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number; startedAt: number; bootId: string };
    await journal.close();
    sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = sleeper.pid!;

    // The program itself holds it: running, so neither listed nor discarded.
    writeFileSync(lockFile, JSON.stringify({ ...crashed, pid, startedAt: startTicks(pid) }));
    assert.match(azml(['transfers']).stdout, /No interrupted transfers/);
    const refused = azml(['transfers', '--discard', id]);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, new RegExp(`Transfer ${id} is running now \\(process ${pid}\\)`));

    // The lock the crashed process left, its pid now the program's.
    writeFileSync(lockFile, JSON.stringify({ ...crashed, pid }));
    const listed = azml(['transfers']);
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`${id}\\s+upload\\s+photos`));
    const discarded = azml(['transfers', '--discard', id]);
    assert.equal(discarded.status, 0, discarded.stderr);
    assert.match(discarded.stdout, new RegExp(`Discarded ${id}\\.`));
    assert.match(azml(['transfers']).stdout, /No interrupted transfers/);
  });

  it('a local workspace\'s discovery file is known for stale, not taken for a running service', async () => {
    const dataDir = path.join(stateHome, 'local');
    mkdirSync(dataDir);
    // Written by a service that has crashed since (this process stands in for it: it started before the program below).
    await writeDiscoveryFile(dataDir, {
      ready: true, pid: process.pid, armEndpoint: 'http://127.0.0.1:9', blobEndpoint: '', fileEndpoint: '', queueEndpoint: '',
      tenantId: 't', subscriptionId: 's', resourceGroup: 'rg', workspace: 'local', location: 'local', storageAccount: 'a', token: 'x',
    });
    const left = JSON.parse(readFileSync(discoveryFilePath(dataDir), 'utf8')) as Record<string, unknown>;
    sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = sleeper.pid!;
    // Named as it runs, that program is taken for the service, and the CLI tries its endpoint.
    await writeDiscoveryFile(dataDir, { ...(left as unknown as LocalWorkspaceConnection), pid });
    assert.match(azml(['datastores', '--local', '--data', dataDir]).stderr, /ECONNREFUSED 127\.0\.0\.1:9/);

    writeFileSync(discoveryFilePath(dataDir), JSON.stringify({ ...left, pid }));
    const result = azml(['datastores', '--local', '--data', dataDir]);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, new RegExp(`No local workspace is running for .* \\(process ${pid} that wrote it has exited; that id now belongs to another program\\)`));
  });
});
