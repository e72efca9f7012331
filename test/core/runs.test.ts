/**
 * Submitting and following runs against the real local workspace service (dist/local.js):
 * snapshot upload and reuse, the job runner executing scripts, and the log tailer's range reads.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { connectLocalWorkspace, type LocalWorkspaceClients } from '../../src/azure/localWorkspace';
import { commandJobFromYaml } from '../../src/core/jobSpec/commandJobYaml';
import { defaultEnvironmentId } from '../../src/core/jobSpec/curatedEnvironments';
import { defaultScriptCommand, scriptJobDraft } from '../../src/core/jobSpec/scriptJob';
import { downloadRunOutputs } from '../../src/core/runOutputs';
import { RunLogTailer, type RunSummary } from '../../src/core/runLogTailer';
import { snapshotTransfer } from '../../src/core/snapshot/snapshotTransfer';
import { jobSpecContextOf, submitJob, type SubmittedJob } from '../../src/core/submitJob';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { localStorageKey } from '../support/storageKey';

describe('submitting and following runs against the local workspace', function () {
  this.timeout(180_000);
  let local: StartedLocalWorkspace;
  let clients: LocalWorkspaceClients;
  let projects: string;

  before(async () => {
    local = await startLocalWorkspace();
    clients = connectLocalWorkspace(local.connection);
    projects = mkdtempSync(path.join(os.tmpdir(), 'azml-runs-'));
  });
  after(async () => {
    await local?.dispose();
    if (projects) rmSync(projects, { recursive: true, force: true });
  });

  function project(name: string, files: Record<string, string>): string {
    const dir = path.join(projects, name);
    for (const [relative, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
      writeFileSync(path.join(dir, relative), text);
    }
    return dir;
  }

  async function submitScript(dir: string, script: string): Promise<SubmittedJob> {
    const draft = scriptJobDraft(dir, {
      experimentName: path.basename(dir), environmentId: defaultEnvironmentId, command: defaultScriptCommand(path.join(dir, script), dir),
    });
    return submitJob({ client: clients.workspaceClient, draft, transfer: snapshotTransfer, nameStem: script.replace(/\.py$/, '') });
  }

  async function follow(jobName: string): Promise<{ summary: RunSummary; lines: string[]; statuses: string[] }> {
    const lines: string[] = [];
    const statuses: string[] = [];
    const summary = await new RunLogTailer({
      runId: jobName, source: clients.workspaceClient.runHistory,
      listener: { onLines: (l) => lines.push(...l), onStatus: ({ status }) => statuses.push(status) },
    }).follow();
    return { summary, lines, statuses };
  }

  it('runs a script that prints and writes an output file; its log arrives once, complete, by range reads', async () => {
    const dir = project('hello', {
      'train.py': [
        'import os, time',
        'for i in range(20):',
        '    print(f"step {i}", flush=True)',
        '    time.sleep(0.05)',
        'os.makedirs("outputs", exist_ok=True)',
        'open("outputs/result.txt", "w").write("accuracy=0.93")',
        'print("done", end="")',
      ].join('\n'),
      'notes.log': 'ignored',
      '.amlignore': '*.log\n',
    });
    const { job, snapshot } = await submitScript(dir, 'train.py');
    assert.equal(snapshot?.reused, false);
    assert.equal(snapshot?.fileCount, 2, 'train.py and .amlignore; notes.log is ignored');
    assert.equal(job.experimentName, 'hello');

    const { summary, lines, statuses } = await follow(job.name);
    assert.equal(summary.status, 'Completed');
    assert.deepEqual(lines, [...Array.from({ length: 20 }, (_, i) => `step ${i}`), 'done']);
    assert.equal(statuses.at(-1), 'Completed');
    assert.ok(summary.bytesFetched <= summary.logBytes * 1.2, `${summary.bytesFetched} bytes fetched for a ${summary.logBytes}-byte log`);
    assert.ok(summary.durationMs !== undefined);

    const target = path.join(projects, 'downloads', job.name);
    const parts = await downloadRunOutputs({ client: clients.workspaceClient, jobName: job.name, targetDir: target, policy: 'skipUnchanged' });
    assert.equal(parts.find((p) => p.name === 'artifacts')?.skipped, undefined);
    const result = path.join(target, 'artifacts', 'outputs', 'result.txt');
    assert.equal(readFileSync(result, 'utf8'), 'accuracy=0.93');
    assert.match(readFileSync(path.join(target, 'artifacts', 'user_logs', 'std_log.txt'), 'utf8'), /step 19\ndone$/);

    // Downloaded again over a file edited since: what happens to it is the policy's.
    writeFileSync(result, 'my notes');
    const kept = await downloadRunOutputs({ client: clients.workspaceClient, jobName: job.name, targetDir: target, policy: 'skip' });
    assert.equal(readFileSync(result, 'utf8'), 'my notes', 'skip keeps the edited file');
    assert.equal(kept.find((p) => p.name === 'artifacts')?.files, 0);
    await downloadRunOutputs({ client: clients.workspaceClient, jobName: job.name, targetDir: target, policy: 'skipUnchanged' });
    assert.equal(readFileSync(result, 'utf8'), 'accuracy=0.93', 'skip unchanged replaces a file whose content differs');
  });

  it('refuses run outputs whose names would land outside the download folder, and downloads the rest', async () => {
    const store = new ContainerClient(`${local.connection.blobEndpoint}/${(await clients.workspaceClient.datastores.get('workspaceblobstore')).containerName}`,
      new StorageSharedKeyCredential(devStorageAccount.name, localStorageKey(local.dataDir)));
    await store.getBlockBlobClient('run-output/result.txt').upload('result', 6);
    const tooLong = `${'n'.repeat(300)}.txt`;
    await store.getBlockBlobClient(`run-output/${tooLong}`).upload('no local file system takes this name', 36);
    const uri = 'azureml://datastores/workspaceblobstore/paths/run-output/';
    const hostile = ['../../evil', '/tmp/absolute-evil', 'back\\..\\..\\evil', 'nested/../../evil'];
    const outputs = Object.fromEntries([...hostile, 'good'].map((name) => [name, { type: 'uri_folder' as const, uri }]));
    const job = await clients.workspaceClient.jobs.createCommandJob({
      name: `hostile_outputs_${Date.now()}`, command: 'echo hello', environmentId: defaultEnvironmentId, experimentName: 'hostile', outputs,
    });

    const sandbox = path.join(projects, 'hostile-download');
    const target = path.join(sandbox, 'a', 'b', job.name);
    const parts = await downloadRunOutputs({ client: clients.workspaceClient, jobName: job.name, targetDir: target, policy: 'skipUnchanged' });
    const byName = new Map(parts.map((p) => [p.name, p]));
    for (const name of hostile) {
      assert.match(byName.get(name)?.skipped ?? '', /^refused: the name (contains|is an absolute path)/, name);
      assert.equal(byName.get(name)?.files, 0);
    }
    assert.equal(byName.get('good')?.skipped, undefined);
    assert.equal(byName.get('good')?.files, 1);
    assert.deepEqual(byName.get('good')?.failed.map((f) => f.path), [tooLong], 'a file refused inside an output is reported, not dropped');
    assert.match(byName.get('good')!.failed[0]!.reason, /longer than 255 bytes/);
    assert.equal(readFileSync(path.join(target, 'named-outputs', 'good', 'result.txt'), 'utf8'), 'result');
    const written = readdirSync(sandbox, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('result.txt'));
    assert.deepEqual(written, [path.join('a', 'b', job.name, 'named-outputs', 'good', 'result.txt')], 'nothing was written anywhere else');
    assert.ok(!existsSync('/tmp/absolute-evil'));
  });

  /** The blobs (name@etag) and text of a code version's snapshot, read from its codeUri. */
  async function snapshotBlobs(codeId: string): Promise<Map<string, string>> {
    const [, name, version] = /\/codes\/([^/]+)\/versions\/([^/]+)$/.exec(codeId)!;
    const codeUri = (await clients.workspaceClient.codes.getVersion(name!, version!)).codeUri!;
    const { pathname } = new URL(codeUri);
    const [, , containerName, ...prefix] = pathname.split('/');
    const container = new ContainerClient(`${local.connection.blobEndpoint}/${containerName}`,
      new StorageSharedKeyCredential(devStorageAccount.name, localStorageKey(local.dataDir)));
    const blobs = new Map<string, string>();
    for await (const blob of container.listBlobsFlat({ prefix: `${prefix.join('/')}/` })) {
      const text = (await container.getBlobClient(blob.name).downloadToBuffer()).toString();
      blobs.set(`${blob.name}@${blob.properties.etag}`, text);
    }
    return blobs;
  }

  it('reuses the snapshot of an unchanged folder without uploading it again', async () => {
    const dir = project('reuse', { 'main.py': 'print("same")\n' });
    const first = await submitScript(dir, 'main.py');
    const blobsBefore = await snapshotBlobs(first.snapshot!.codeId);
    assert.deepEqual([...blobsBefore.values()], ['print("same")\n']);

    const second = await submitScript(dir, 'main.py');
    assert.equal(second.snapshot?.reused, true);
    assert.equal(second.snapshot?.codeId, first.snapshot?.codeId);
    assert.deepEqual(await snapshotBlobs(first.snapshot!.codeId), blobsBefore, 'nothing was written on the second submit');

    writeFileSync(path.join(dir, 'main.py'), 'print("changed")\n');
    const third = await submitScript(dir, 'main.py');
    assert.equal(third.snapshot?.reused, false);
    assert.notEqual(third.snapshot?.codeId, first.snapshot?.codeId);
    assert.deepEqual((await follow(third.job.name)).lines, ['changed']);
  });

  it('keeps each snapshot apart: a changed folder of the same name never alters an earlier code version', async () => {
    const dir = project('same-name/app', { 'main.py': 'print("v1")\n', 'data.txt': 'old\n' });
    const first = await submitScript(dir, 'main.py');
    assert.deepEqual((await follow(first.job.name)).lines, ['v1']);
    const firstBlobs = await snapshotBlobs(first.snapshot!.codeId);

    rmSync(path.join(dir, 'data.txt'));
    writeFileSync(path.join(dir, 'main.py'), 'import os\nprint("v2", os.path.exists("data.txt"))\n');
    const second = await submitScript(dir, 'main.py');
    assert.deepEqual((await follow(second.job.name)).lines, ['v2 False'], 'the deleted file is gone from the new snapshot');
    assert.deepEqual(await snapshotBlobs(first.snapshot!.codeId), firstBlobs, 'the first code version still holds its own files');
  });

  it('reports a script that exits 3 as Failed, with the error and the failing lines', async () => {
    const dir = project('failing', { 'fail.py': 'import sys\nprint("about to fail", flush=True)\nprint("bad input", file=sys.stderr)\nsys.exit(3)\n' });
    const { job } = await submitScript(dir, 'fail.py');
    const { summary } = await follow(job.name);
    assert.equal(summary.status, 'Failed');
    assert.match(summary.error?.message ?? '', /3/);
    assert.ok(summary.failingLines.includes('about to fail'), summary.failingLines.join('|'));
  });

  it('follows a long run until it is canceled', async () => {
    const dir = project('long', { 'long.py': 'import time\nfor i in range(600):\n    print(f"tick {i}", flush=True)\n    time.sleep(0.1)\n' });
    const { job } = await submitScript(dir, 'long.py');
    const lines: string[] = [];
    const tail = new RunLogTailer({ runId: job.name, source: clients.workspaceClient.runHistory, listener: { onLines: (l) => lines.push(...l) } }).follow();
    const deadline = Date.now() + 60_000;
    while (lines.length < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(lines.length >= 5, 'the run printed before it was canceled');
    await clients.workspaceClient.jobs.cancel(job.name);
    const summary = await tail;
    assert.equal(summary.status, 'Canceled');
    assert.ok(lines.length < 600);
    lines.forEach((line, i) => assert.equal(line, `tick ${i}`));
  });

  it('shows a progress bar that redraws one line with \\r (tqdm) while the run goes on', async () => {
    const dir = project('progress', {
      'bar.py': [
        'import sys, time',
        'print("training", flush=True)',
        'for i in range(1, 1201):',
        '    sys.stderr.write(f"\\rbatch {i}/1200")',
        '    sys.stderr.flush()',
        '    time.sleep(0.05)',
        'sys.stderr.write("\\n")',
      ].join('\n'),
    });
    const { job } = await submitScript(dir, 'bar.py');
    const lines: string[] = [];
    let status = '';
    const tail = new RunLogTailer({
      runId: job.name, source: clients.workspaceClient.runHistory,
      listener: { onLines: (l) => lines.push(...l), onStatus: (change) => { status = change.status; } },
    }).follow();
    const progress = (): string[] => lines.filter((line) => line.startsWith('batch'));
    const deadline = Date.now() + 30_000;
    while (progress().length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const seenWhile = status;
    const shown = progress();
    await clients.workspaceClient.jobs.cancel(job.name);
    await tail;
    assert.ok(shown.length >= 2, `no progress shown while the run went on: ${JSON.stringify(lines).slice(0, 300)}`);
    assert.equal(seenWhile, 'Running');
    assert.equal(lines[0], 'training');
    for (const line of shown) assert.match(line, /^batch \d+\/1200$/, 'each line shown is one state of the bar, as a terminal shows it');
  });

  it('submits a command job YAML as written, code relative to the file', async () => {
    const dir = project('yamljob', {
      'src/echo.py': 'import sys\nprint("greeting:", sys.argv[1])\n',
      'jobs/echo.yml': [
        '$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json',
        'command: python echo.py ${{inputs.greeting}}',
        'code: ../src',
        'environment: azureml://registries/azureml/environments/sklearn-1.5/labels/latest',
        'compute: azureml:local',
        'experiment_name: yaml-jobs',
        'display_name: Echo from YAML',
        'inputs:',
        '  greeting: hello',
      ].join('\n'),
    });
    const file = path.join(dir, 'jobs', 'echo.yml');
    const draft = await commandJobFromYaml(readFileSync(file, 'utf8'), file, jobSpecContextOf(clients.workspaceClient));
    const { job, snapshot } = await submitJob({ client: clients.workspaceClient, draft, transfer: snapshotTransfer, nameStem: 'echo' });
    assert.equal(job.displayName, 'Echo from YAML');
    assert.equal(job.experimentName, 'yaml-jobs');
    assert.equal(snapshot?.fileCount, 1);
    const { summary, lines } = await follow(job.name);
    assert.equal(summary.status, 'Completed');
    assert.deepEqual(lines, ['greeting: hello']);
  });
});
