import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BlobServiceClient, ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { CommandJobInput, Job } from '../../src/azure/domain';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import type { WorkspaceClient } from '../../src/azure/workspaceClient';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { preparePythonShim } from '../../src/local/jobRunner/jobEnvironment';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { localStorageKey } from '../support/storageKey';

const statusOrder = ['NotStarted', 'Queued', 'Preparing', 'Running', 'Finalizing', 'CancelRequested', 'Completed', 'Failed', 'Canceled'];
const environmentId = 'azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const unique = (prefix: string): string => `${prefix}-${Date.now()}-${randomBytes(3).toString('hex')}`;

/** A process that still runs (zombies, which only wait to be reaped, count as gone). */
function isRunning(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(100);
  }
}

class LocalJobs {
  readonly ws: WorkspaceClient;
  readonly artifacts: ContainerClient;
  readonly blobs: BlobServiceClient;

  constructor(readonly local: StartedLocalWorkspace) {
    this.ws = connectLocalWorkspace(local.connection).workspaceClient;
    this.blobs = new BlobServiceClient(local.connection.blobEndpoint, new StorageSharedKeyCredential(devStorageAccount.name, localStorageKey(local.dataDir)));
    this.artifacts = this.blobs.getContainerClient('azureml');
  }

  /** Uploads a snapshot the way clients do (startPendingUpload SAS, then the code version); answers its codeId. */
  async uploadCode(files: Record<string, string>): Promise<string> {
    const name = unique('code');
    const pending = await this.ws.codes.startPendingUpload(name, '1');
    const container = new ContainerClient(pending.sasUri);
    const folder = unique('src');
    for (const [file, text] of Object.entries(files)) {
      await container.getBlockBlobClient(`${folder}/${file}`).uploadData(Buffer.from(text));
    }
    const version = await this.ws.codes.createOrUpdateVersion(name, '1', { codeUri: `${pending.blobUri}/${folder}`, isAnonymous: true });
    return version.id;
  }

  submit(spec: Omit<CommandJobInput, 'name' | 'environmentId'> & { name?: string }): Promise<Job> {
    return this.ws.jobs.createCommandJob({ name: unique('job'), environmentId, experimentName: 'runner-tests', ...spec });
  }

  /** Polls the job until `done`, recording each status seen (in order, without repeats). */
  async watch(name: string, done: (status: string) => boolean, timeoutMs = 60000): Promise<string[]> {
    const seen: string[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { status } = await this.ws.jobs.get(name);
      if (seen[seen.length - 1] !== status) seen.push(status);
      if (done(status)) return seen;
      if (Date.now() > deadline) throw new Error(`Job ${name} still ${status} (seen: ${seen.join(' → ')})`);
      await sleep(30);
    }
  }

  async logUrl(name: string): Promise<string> {
    let url: string | undefined;
    await waitUntil(async () => {
      url = (await this.ws.runHistory.getRunDetails(name)).logFiles['user_logs/std_log.txt'];
      return url !== undefined;
    }, `the log of ${name}`);
    return url!;
  }

  async readLog(name: string): Promise<string> {
    const response = await fetch(await this.logUrl(name));
    assert.equal(response.status, 200);
    return response.text();
  }

  async artifact(name: string, file: string): Promise<string> {
    return (await this.artifacts.getBlobClient(`ExperimentRun/dcid.${name}/${file}`).downloadToBuffer()).toString();
  }
}

function assertInOrder(seen: string[]): void {
  const positions = seen.map((s) => statusOrder.indexOf(s));
  assert.ok(positions.every((p) => p >= 0), `unknown status in ${seen.join(' → ')}`);
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b), `statuses out of order: ${seen.join(' → ')}`);
}

/** A long job that prints its pid and a child's, then ticks until stopped. */
const tickerScript = [
  'import os, subprocess, sys, time',
  'child = subprocess.Popen(["sleep", "300"])',
  'print(f"pids {os.getpid()} {child.pid}", flush=True)',
  'i = 0',
  'while True:',
  '    i += 1',
  '    print(f"tick {i}", flush=True)',
  '    time.sleep(0.1)',
  '',
].join('\n');

async function pidsFromLog(jobs: LocalJobs, name: string): Promise<number[]> {
  let pids: number[] = [];
  await waitUntil(async () => {
    const m = /pids (\d+) (\d+)/.exec(await jobs.readLog(name));
    pids = m ? [Number(m[1]), Number(m[2])] : [];
    return pids.length === 2;
  }, 'the job to print its pids');
  return pids;
}

describe('local workspace job runner', function () {
  this.timeout(180000);
  let local: StartedLocalWorkspace;
  let jobs: LocalJobs;

  before(async () => {
    local = await startLocalWorkspace();
    jobs = new LocalJobs(local);
  });
  after(async () => {
    await local?.dispose();
  });

  it('runs a job: statuses in order, exact log, ./outputs uploaded, run folder removed', async () => {
    const codeId = await jobs.uploadCode({
      'train.py': [
        'import os, time',
        'for i in range(3):',
        '    print(f"line {i}")',
        '    time.sleep(0.2)',
        'os.makedirs("outputs", exist_ok=True)',
        'with open("outputs/result.txt", "w") as f:',
        '    f.write("accuracy=0.93")',
        'print("run id", os.environ["AZUREML_RUN_ID"], os.environ["AZUREML_EXPERIMENT_NAME"], os.environ["GREETING"])',
        '',
      ].join('\n'),
      'lib/helper.py': 'VALUE = 1\n',
    });
    const job = await jobs.submit({ command: 'ls lib && python train.py', codeId, environmentVariables: { GREETING: 'hi' } });
    assert.equal(job.status, 'NotStarted');
    const seen = await jobs.watch(job.name, (s) => s === 'Completed' || s === 'Failed');
    assertInOrder(seen);
    assert.ok(seen.includes('Running'), seen.join(' → '));
    assert.equal(seen[seen.length - 1], 'Completed', seen.join(' → '));

    assert.equal(await jobs.readLog(job.name), `helper.py\nline 0\nline 1\nline 2\nrun id ${job.name} runner-tests hi\n`);
    assert.equal(await jobs.artifact(job.name, 'outputs/result.txt'), 'accuracy=0.93');
    const details = await jobs.ws.runHistory.getRunDetails(job.name);
    assert.ok(details.startTime && details.endTime && details.startTime <= details.endTime);
    assert.equal(details.error, undefined);
    assert.ok(details.warnings.some((w) => w.message.includes(environmentId) && /this machine's Python/.test(w.message)), JSON.stringify(details.warnings));
    assert.deepEqual(await fs.readdir(path.join(local.dataDir, 'jobs', 'runs')), [], 'nothing left of the run folder');
  });

  it('a command exiting 3 fails with the exit code and the last lines of its error output', async () => {
    const codeId = await jobs.uploadCode({
      'fail.py': 'import sys\nprint("starting")\nprint("bad config: lr missing", file=sys.stderr)\nsys.exit(3)\n',
    });
    const job = await jobs.submit({ command: 'python fail.py', codeId });
    const seen = await jobs.watch(job.name, (s) => s === 'Completed' || s === 'Failed');
    assertInOrder(seen);
    assert.equal(seen[seen.length - 1], 'Failed');
    const details = await jobs.ws.runHistory.getRunDetails(job.name);
    assert.match(details.error?.message ?? '', /exited with code 3/);
    assert.match(details.error?.message ?? '', /bad config: lr missing/);
    assert.equal(await jobs.readLog(job.name), 'starting\nbad config: lr missing\n');
  });

  it('substitutes a literal input, downloads a uri_folder input and uploads a declared output', async () => {
    const blobStore = await jobs.ws.datastores.get('workspaceblobstore');
    const data = jobs.blobs.getContainerClient(blobStore.containerName!);
    const folder = unique('data');
    await data.getBlockBlobClient(`${folder}/a.txt`).uploadData(Buffer.from('alpha'));
    await data.getBlockBlobClient(`${folder}/nested/b.txt`).uploadData(Buffer.from('beta'));
    const codeId = await jobs.uploadCode({
      'show.py': [
        'import os, sys',
        'lr, data, out = sys.argv[1], sys.argv[2], sys.argv[3]',
        'print("lr", lr)',
        'for root, _, files in sorted(os.walk(data)):',
        '    for f in sorted(files):',
        '        p = os.path.join(root, f)',
        '        print(os.path.relpath(p, data), open(p).read())',
        'open(os.path.join(out, "model.txt"), "w").write("weights")',
        '',
      ].join('\n'),
    });
    const job = await jobs.submit({
      command: 'python show.py ${{inputs.lr}} ${{inputs.data}} ${{outputs.model}}',
      codeId,
      inputs: {
        lr: { type: 'literal', value: '0.01' },
        data: { type: 'uri_folder', uri: `azureml://datastores/workspaceblobstore/paths/${folder}/`, mode: 'ReadOnlyMount' },
      },
      outputs: { model: { type: 'uri_folder' } },
    });
    const seen = await jobs.watch(job.name, (s) => s === 'Completed' || s === 'Failed');
    assert.equal(seen[seen.length - 1], 'Completed', `${seen.join(' → ')}: ${(await jobs.ws.runHistory.getRunDetails(job.name)).error?.message}`);
    assert.equal(await jobs.readLog(job.name), 'lr 0.01\na.txt alpha\nnested/b.txt beta\n');
    const model = await data.getBlobClient(`azureml/${job.name}/model/model.txt`).downloadToBuffer();
    assert.equal(model.toString(), 'weights');
  });

  it('streams the log while the job runs (range reads see only new bytes); cancel stops the process tree', async () => {
    const codeId = await jobs.uploadCode({ 'tick.py': tickerScript });
    const job = await jobs.submit({ command: 'python tick.py', codeId });
    await jobs.watch(job.name, (s) => s === 'Running');
    const [pid, childPid] = await pidsFromLog(jobs, job.name);
    assert.ok(isRunning(pid!) && isRunning(childPid!));

    const url = await jobs.logUrl(job.name);
    try {
      const first = await (await fetch(url)).text();
      await sleep(1000);
      const more = await fetch(url, { headers: { Range: `bytes=${Buffer.byteLength(first)}-` } });
      assert.equal(more.status, 206);
      const added = await more.text();
      assert.ok((added.match(/tick \d+\n/g) ?? []).length >= 3, `about a second of ticks arrived: ${JSON.stringify(added)}`);
      const whole = await (await fetch(url)).text();
      assert.ok(whole.startsWith(first + added), 'the range read answered exactly the bytes after the first read');
    } finally {
      assert.deepEqual(await jobs.ws.jobs.cancel(job.name), { completed: false });
    }
    const seen = await jobs.watch(job.name, (s) => ['Completed', 'Failed', 'Canceled'].includes(s));
    assert.equal(seen[seen.length - 1], 'Canceled', seen.join(' → '));
    await waitUntil(() => !isRunning(pid!) && !isRunning(childPid!), 'the job and its child to be gone', 10000);
  });

  it('a job canceled while it waits in the queue never starts', async () => {
    const codeId = await jobs.uploadCode({ 'tick.py': tickerScript });
    // Two long jobs fill both slots, so the third waits.
    const busy = [await jobs.submit({ command: 'python tick.py', codeId }), await jobs.submit({ command: 'python tick.py', codeId })];
    const waiting = await jobs.submit({ command: 'echo should not run', codeId });
    try {
      for (const job of busy) await jobs.watch(job.name, (s) => s === 'Running');
      assert.equal((await jobs.ws.jobs.get(waiting.name)).status, 'Queued');
      await jobs.ws.jobs.cancel(waiting.name);
      const seen = await jobs.watch(waiting.name, (s) => s === 'Canceled' || s === 'Completed');
      assert.deepEqual(seen.filter((s) => s === 'Running' || s === 'Completed'), []);
      const details = await jobs.ws.runHistory.getRunDetails(waiting.name);
      assert.deepEqual(details.logFiles, {});
    } finally {
      for (const job of busy) await jobs.ws.jobs.cancel(job.name).catch(() => undefined);
      for (const job of busy) await jobs.watch(job.name, (s) => s === 'Canceled');
    }
  });

  it('a job over its time limit is stopped and fails', async () => {
    const codeId = await jobs.uploadCode({ 'tick.py': tickerScript });
    const job = await jobs.submit({ command: 'python tick.py', codeId, timeout: 'PT2S' });
    const [pid, childPid] = await pidsFromLog(jobs, job.name);
    const seen = await jobs.watch(job.name, (s) => ['Completed', 'Failed', 'Canceled'].includes(s));
    assert.equal(seen[seen.length - 1], 'Failed');
    assert.match((await jobs.ws.runHistory.getRunDetails(job.name)).error?.message ?? '', /time limit \(PT2S\)/);
    assert.ok(!isRunning(pid!) && !isRunning(childPid!));
  });

  it('fails a job whose input or output name would lead out of its run folder, before running anything, writing nothing there', async () => {
    const blobStore = await jobs.ws.datastores.get('workspaceblobstore');
    const folder = unique('escape-data');
    await jobs.blobs.getContainerClient(blobStore.containerName!).getBlockBlobClient(`${folder}/a.txt`).uploadData(Buffer.from('alpha'));
    const runsDir = path.join(local.dataDir, 'jobs', 'runs');
    const cases: Array<[Omit<CommandJobInput, 'name' | 'environmentId'>, RegExp]> = [
      [{ command: 'echo out', outputs: { '../../escaped-output': { type: 'uri_folder' } } }, /output name "\.\.\/\.\.\/escaped-output".*"\/"/],
      [{ command: 'echo in', inputs: { '../../escaped-input': { type: 'uri_folder', uri: `azureml://datastores/workspaceblobstore/paths/${folder}/` } } },
        /input name "\.\.\/\.\.\/escaped-input".*"\/"/],
      [{ command: 'echo dots', outputs: { '..': { type: 'uri_folder' } } }, /output name "\.\."/],
    ];
    for (const [spec, reason] of cases) {
      const job = await jobs.submit(spec);
      const seen = await jobs.watch(job.name, (s) => s === 'Completed' || s === 'Failed');
      assert.equal(seen[seen.length - 1], 'Failed', `${spec.command}: ${seen.join(' → ')}`);
      assert.ok(!seen.includes('Running'));
      assert.match((await jobs.ws.runHistory.getRunDetails(job.name)).error?.message ?? '', reason);
    }
    const leftovers = (await fs.readdir(path.join(local.dataDir, 'jobs'), { recursive: true })).filter((n) => n.includes('escaped'));
    assert.deepEqual(leftovers, [], `nothing was made outside a run folder (${runsDir})`);
  });

  it('fails a job whose input is not in a datastore, before running anything', async () => {
    const job = await jobs.submit({
      command: 'cat ${{inputs.data}}',
      inputs: { data: { type: 'uri_file', uri: 'https://example.com/data.csv' } },
    });
    const seen = await jobs.watch(job.name, (s) => s === 'Completed' || s === 'Failed');
    assert.equal(seen[seen.length - 1], 'Failed');
    assert.ok(!seen.includes('Running'));
    assert.match((await jobs.ws.runHistory.getRunDetails(job.name)).error?.message ?? '', /Input 'data'.*datastores only/);
  });
});

describe('local workspace job runner: paths it makes reach the command as one argument', function () {
  this.timeout(180000);
  let local: StartedLocalWorkspace | undefined;

  after(async () => {
    await local?.dispose();
  });

  it('datastore names with ; $() quotes and spaces, in a data folder with spaces: the job gets each path whole, nothing else runs', async () => {
    local = await startLocalWorkspace({ dataDir: await fs.mkdtemp(path.join(os.tmpdir(), 'azml data folder ')) });
    const jobs = new LocalJobs(local);
    const blobStore = await jobs.ws.datastores.get('workspaceblobstore');
    const data = jobs.blobs.getContainerClient(blobStore.containerName!);
    const folder = unique('inject');
    const names = { a: 'x;touch pwned', b: '$(touch pwned)', c: `it's "quoted" a b.txt` };
    for (const [key, name] of Object.entries(names)) await data.getBlockBlobClient(`${folder}/${name}`).uploadData(Buffer.from(`content ${key}`));
    const uri = (...segments: string[]): string => `azureml://datastores/workspaceblobstore/paths/${segments.map(encodeURIComponent).join('/')}`;
    const codeId = await jobs.uploadCode({
      'show.py': [
        'import os, sys',
        'print("args", len(sys.argv) - 1)',
        'for p in sys.argv[1:4]:',
        '    print(p.startswith(os.environ["DATA_DIR"] + "/"), os.path.basename(p), "=", open(p).read())',
        'print("folder", " | ".join(sorted(os.listdir(sys.argv[4]))))',
        'print("literal", sys.argv[5])',
        'open(sys.argv[6], "w").write("written")',
        '',
      ].join('\n'),
    });
    const job = await jobs.submit({
      // `ls` last: a `touch pwned` slipped into the command would leave its file next to show.py.
      command: 'python show.py ${{inputs.a}} ${{inputs.b}} ${{inputs.c}} ${{inputs.all}} ${{inputs.word}} ${{outputs.result}} && ls',
      codeId,
      environmentVariables: { DATA_DIR: local.dataDir },
      inputs: {
        a: { type: 'uri_file', uri: uri(folder, names.a) },
        b: { type: 'uri_file', uri: uri(folder, names.b) },
        c: { type: 'uri_file', uri: uri(folder, names.c) },
        all: { type: 'uri_folder', uri: `${uri(folder)}/` },
        word: { type: 'literal', value: 'verbatim' },
      },
      outputs: { result: { type: 'uri_file', uri: uri(folder, 'out', 'y;touch pwned.txt') } },
    });
    const seen = await jobs.watch(job.name, (s) => s === 'Completed' || s === 'Failed');
    assert.equal(seen[seen.length - 1], 'Completed', `${seen.join(' → ')}: ${(await jobs.ws.runHistory.getRunDetails(job.name)).error?.message}`);
    assert.equal(await jobs.readLog(job.name), [
      'args 6',
      'True x;touch pwned = content a',
      'True $(touch pwned) = content b',
      `True it's "quoted" a b.txt = content c`,
      `folder $(touch pwned) | it's "quoted" a b.txt | x;touch pwned`,
      'literal verbatim',
      'outputs',
      'show.py',
      '',
    ].join('\n'));
    assert.equal((await data.getBlobClient(`${folder}/out/y;touch pwned.txt`).downloadToBuffer()).toString(), 'written');
  });
});

describe('local workspace job runner across restarts', function () {
  this.timeout(180000);
  const dataDir = path.join(os.tmpdir(), unique('azml-runner-restart'));
  let local: StartedLocalWorkspace | undefined;

  afterEach(async () => {
    await local?.stop();
    local = undefined;
  });
  after(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('a job running when the service stops ends Failed, its processes stopped', async () => {
    local = await startLocalWorkspace({ dataDir });
    const jobs = new LocalJobs(local);
    const job = await jobs.submit({ command: 'python tick.py', codeId: await jobs.uploadCode({ 'tick.py': tickerScript }) });
    const [pid, childPid] = await pidsFromLog(jobs, job.name);
    await local.stop();
    assert.ok(!isRunning(pid!) && !isRunning(childPid!));

    local = await startLocalWorkspace({ dataDir });
    const again = new LocalJobs(local);
    const details = await again.ws.runHistory.getRunDetails(job.name);
    assert.equal(details.status, 'Failed');
    assert.match(details.error?.message ?? '', /stopped while this job was running/);
    assert.match(await again.readLog(job.name), /tick 1\n/, 'the log written so far is kept');
  });

  it('after a crash, a restarted service fails the job it was running and stops its leftover processes', async () => {
    local = await startLocalWorkspace({ dataDir });
    const jobs = new LocalJobs(local);
    const job = await jobs.submit({ command: 'python tick.py', codeId: await jobs.uploadCode({ 'tick.py': tickerScript }) });
    const [pid, childPid] = await pidsFromLog(jobs, job.name);

    // Azurite is the service's child in its own process group: stop it as a crash would not.
    const servicePid = local.process.pid!;
    const azurite = execFileSync('pgrep', ['-P', String(servicePid)], { encoding: 'utf8' }).trim().split('\n').map(Number)
      .filter((p) => existsSync(`/proc/${p}/cmdline`) && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('azurite'));
    local.process.kill('SIGKILL');
    await local.exited;
    local = undefined;
    for (const p of azurite) process.kill(-p, 'SIGTERM');
    await waitUntil(() => azurite.every((p) => !isRunning(p)), 'the orphaned Azurite to stop');
    // The script itself dies writing to the dead service's pipe; its silent child lives on.
    assert.ok(isRunning(childPid!), 'the job\'s child outlived the crashed service');

    local = await startLocalWorkspace({ dataDir });
    const details = await new LocalJobs(local).ws.runHistory.getRunDetails(job.name);
    assert.equal(details.status, 'Failed');
    assert.match(details.error?.message ?? '', /restarted while this job was Running/);
    await waitUntil(() => !isRunning(pid!) && !isRunning(childPid!), 'the leftover job processes to be stopped', 10000);
  });
});

describe('local workspace job runner and the demo', function () {
  this.timeout(180000);

  it('leaves seeded demo jobs as they are, also across a restart', async () => {
    const first = await startLocalWorkspace({ seed: 'demo' });
    const dataDir = first.dataDir;
    try {
      const ws = connectLocalWorkspace(first.connection).workspaceClient;
      const statuses = async (client: WorkspaceClient): Promise<Record<string, string>> => {
        const all: Record<string, string> = {};
        let token: string | undefined;
        do {
          const page = await client.jobs.list(token ? { continuationToken: token } : {});
          for (const job of page.items) all[job.name] = job.status;
          token = page.continuationToken;
        } while (token);
        return all;
      };
      const before = await statuses(ws);
      assert.ok(Object.values(before).includes('Running') && Object.values(before).includes('Queued'), JSON.stringify(before));
      await first.stop();
      const second = await startLocalWorkspace({ dataDir, seed: 'demo' });
      try {
        await sleep(1000);
        assert.deepEqual(await statuses(connectLocalWorkspace(second.connection).workspaceClient), before);
      } finally {
        await second.stop();
      }
    } finally {
      await first.dispose();
    }
  });
});

describe('python shim', () => {
  it('puts a `python` that runs python3 on PATH when only python3 exists', async () => {
    const python3 = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'azml-shim-'));
    try {
      const onlyPython3 = path.join(dir, 'bin');
      await fs.mkdir(onlyPython3);
      await fs.symlink(python3, path.join(onlyPython3, 'python3'));
      const tools = await preparePythonShim(path.join(dir, 'tools'), { PATH: onlyPython3 });
      assert.equal(tools, path.join(dir, 'tools'));
      const out = execFileSync('python', ['-c', 'import sys; print(sys.version_info[0])'], {
        encoding: 'utf8', env: { PATH: `${tools}${path.delimiter}${onlyPython3}` },
      });
      assert.equal(out.trim(), '3');
      assert.equal(await preparePythonShim(path.join(dir, 'tools2'), { PATH: tools! }), undefined, 'no shim when python exists');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
