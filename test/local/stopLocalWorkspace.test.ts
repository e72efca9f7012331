import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalWorkspaceLauncher } from '../../src/connection/localWorkspaceLauncher';
import { discoveryFilePath, readDiscoveryFile, writeDiscoveryFile, type LocalWorkspaceConnection } from '../../src/local/discovery';
import { findFreePort } from '../../src/local/freePort';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { isAlive } from '../support/processes';
import { repoRoot } from '../support/repo';

const logged: string[] = [];
const log = { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m), show: () => undefined };

/** A live process that is not the local workspace. */
function unrelatedProcess(): ChildProcess {
  return spawn('sleep', ['300'], { stdio: 'ignore' });
}

describe('Stop Local Workspace (a service this window did not start)', function () {
  this.timeout(120000);
  const folders: string[] = [];
  const children: ChildProcess[] = [];
  let local: StartedLocalWorkspace | undefined;

  const dataFolder = async (): Promise<string> => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'azml-stop-'));
    folders.push(dir);
    return dir;
  };

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await local?.dispose();
    local = undefined;
    for (const dir of folders.splice(0)) await fs.rm(dir, { recursive: true, force: true });
  });

  it('stops the running service its discovery file names, through its endpoint and token', async () => {
    local = await startLocalWorkspace();
    await new LocalWorkspaceLauncher('unused', log).stop(local.dataDir, undefined);
    assert.equal(await local.exited, 0);
    assert.ok(!existsSync(discoveryFilePath(local.dataDir)), 'the service removed its discovery file as it stopped');
  });

  it('a stale discovery file whose pid now belongs to an unrelated process: nothing is signalled, and Stop says what it found', async () => {
    // The file a service leaves when it crashes; its pid later reused by another program.
    local = await startLocalWorkspace();
    const stale = await readDiscoveryFile(local.dataDir);
    await local.stop();
    const sleeper = unrelatedProcess();
    children.push(sleeper);
    await writeDiscoveryFile(local.dataDir, { ...stale, pid: sleeper.pid! });

    await assert.rejects(new LocalWorkspaceLauncher('unused', log).stop(local.dataDir, undefined), (error: Error) => {
      assert.match(error.message, new RegExp(`names process ${sleeper.pid} at ${stale.armEndpoint}, but no local workspace answers there \\(ECONNREFUSED\\)`));
      assert.match(error.message, /no process was signalled/);
      return true;
    });
    assert.ok(isAlive(sleeper), 'the unrelated process still runs');
  });

  it('a crafted discovery file naming an unrelated process and a live endpoint with another token: nothing is stopped', async () => {
    local = await startLocalWorkspace();
    const other = await dataFolder();
    const sleeper = unrelatedProcess();
    children.push(sleeper);
    const crafted: LocalWorkspaceConnection = { ...local.connection, pid: sleeper.pid!, token: 'not-the-token' };
    await writeDiscoveryFile(other, crafted);

    await assert.rejects(new LocalWorkspaceLauncher('unused', log).stop(other, undefined),
      /names process \d+ at http:\/\/127\.0\.0\.1:\d+, but what answers there is not the local workspace of that file \(HTTP 401\); no process was signalled/);
    assert.ok(isAlive(sleeper), 'the unrelated process still runs');
    assert.equal(local.process.exitCode, null, 'the service the file pointed at still runs');
  });

  it('a connection kept from a service that has died: Stop signals nothing and says so', async () => {
    const dir = await dataFolder();
    const sleeper = unrelatedProcess();
    children.push(sleeper);
    const port = await findFreePort();
    const connection: LocalWorkspaceConnection = {
      ready: true, pid: sleeper.pid!, armEndpoint: `http://127.0.0.1:${port}`, blobEndpoint: '', fileEndpoint: '', queueEndpoint: '',
      tenantId: 't', subscriptionId: 's', resourceGroup: 'rg', workspace: 'local', location: 'local', storageAccount: 'a', token: 'x',
    };
    await assert.rejects(new LocalWorkspaceLauncher('unused', log).stop(dir, connection), /Nothing was stopped: .* names process \d+ .*no process was signalled/);
    assert.ok(isAlive(sleeper));
  });

  it('a discovery file whose process has exited: Stop says no local workspace is running', async () => {
    const dir = await dataFolder();
    const exited = spawn('true');
    await new Promise((resolve) => exited.once('exit', resolve));
    await writeDiscoveryFile(dir, {
      ready: true, pid: exited.pid!, armEndpoint: 'http://127.0.0.1:1', blobEndpoint: '', fileEndpoint: '', queueEndpoint: '',
      tenantId: 't', subscriptionId: 's', resourceGroup: 'rg', workspace: 'local', location: 'local', storageAccount: 'a', token: 'x',
    });
    await assert.rejects(new LocalWorkspaceLauncher('unused', log).stop(dir, undefined), new RegExp(`No local workspace is running for .*process ${exited.pid} has exited`));
  });

  it('two starts at once (welcome view and walkthrough) start one service, and both connect to it', async () => {
    const dir = path.join(await dataFolder(), 'new-data');
    const launcher = new LocalWorkspaceLauncher(path.join(repoRoot, 'dist', 'local.js'), log);
    try {
      const [first, second] = await Promise.all([launcher.connectOrStart(dir, undefined), launcher.connectOrStart(dir, undefined)]);
      assert.equal(first.service.armEndpoint, second.service.armEndpoint);
      assert.equal(first.service.pid, second.service.pid);
      assert.equal((await readDiscoveryFile(dir)).pid, first.service.pid);
      assert.equal(logged.filter((line) => line.startsWith('Starting the local workspace in') && line.includes(dir)).length, 1);
    } finally {
      await launcher.stop(dir, undefined);
    }
  });
});
