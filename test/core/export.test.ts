/**
 * Export of a workspace's data against the seeded local workspace (small pages, so every list
 * takes several): each file compared field by field with what the service itself answers; a
 * cancel midway and a re-run that resumes and ends with the same files as an uninterrupted export.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, appendFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { artifactDatastoreName, jobArtifactFolder } from '../../src/azure/artifactPaths';
import type { Page } from '../../src/azure/domain';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { readMetricHistory } from '../../src/azure/metricHistory';
import type { WorkspaceClient } from '../../src/azure/workspaceClient';
import { plainRecord } from '../../src/core/export/exportKinds';
import { stateFileName, type ExportState } from '../../src/core/export/exportState';
import { exportWorkspaceData, type ExportIndex, type ExportProgress } from '../../src/core/export/exportWorkspace';
import { plainTrackedRun } from '../../src/core/export/jobRecords';
import { jsonMetricValue } from '../../src/core/metricSummary';
import { openDatastoreForTransfer } from '../../src/core/transfer/openDatastore';
import { defaultTuning, remoteStoreFor } from '../../src/core/transfer/tuning';
import { createWorkspace, startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

async function everything<T>(list: (token: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await list(token);
    items.push(...page.items);
    token = page.continuationToken;
  } while (token !== undefined);
  return items;
}

function lines(folder: string, file: string): unknown[] {
  const text = readFileSync(path.join(folder, file), 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), `${file} ends with a whole line`);
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as unknown);
}

/** Every file's content and modification time, to show a refused export changed nothing. */
function snapshotOf(folder: string): Array<[string, string, number]> {
  return [...filesOf(folder)].map(([file, content]): [string, string, number] => [file, content, statSync(path.join(folder, file)).mtimeMs]).sort((a, b) => a[0].localeCompare(b[0]));
}

function filesOf(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(folder, full), readFileSync(full, 'utf8'));
    }
  };
  walk(folder);
  return files;
}

describe('workspace export (local workspace, demo content)', function () {
  this.timeout(300_000);
  let local: StartedLocalWorkspace;
  let client: WorkspaceClient;
  let scratch: string;
  let full: string;
  let fullIndex: ExportIndex;
  const artifactJob = { name: '', files: { 'outputs/model.pkl': 'model bytes', 'outputs/nested/metrics.json': '{"auc": 0.9}' } };

  before(async () => {
    local = await startLocalWorkspace({ seed: 'demo', pageSize: 3 });
    client = connectLocalWorkspace(local.connection).workspaceClient;
    scratch = mkdtempSync(path.join(os.tmpdir(), 'azml-export-'));
    // One job with artifact files, as a run leaves them in the artifact store.
    const jobs = await everything((token) => client.jobs.list({ listViewType: 'All', ...(token ? { continuationToken: token } : {}) }));
    artifactJob.name = jobs[0]!.name;
    const storage = await openDatastoreForTransfer(client, await client.datastores.get(artifactDatastoreName), undefined);
    const store = remoteStoreFor(storage, defaultTuning);
    for (const [name, content] of Object.entries(artifactJob.files)) {
      const data = Buffer.from(content);
      await store.putSmall(`${jobArtifactFolder(artifactJob.name)}${name}`, data, createHash('md5').update(data).digest(), true, new AbortController().signal);
    }
    // Code snapshots, as submitting from a project folder leaves them (the demo has none).
    for (const [name, version] of [['train-src', '1'], ['train-src', '2'], ['eval-src', '1']] as const) {
      await client.codes.createOrUpdateVersion(name, version, { codeUri: `https://example.invalid/snapshots/${name}-${version}`, description: `${name} v${version}` });
    }
    full = path.join(scratch, 'full');
    fullIndex = await exportWorkspaceData({ client, folder: full, includeArtifacts: true });
  });

  after(async () => {
    await local?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('writes every kind as the service answers it, field by field, and an index with counts', async () => {
    const expectations: Array<[string, unknown[]]> = [
      ['computes.jsonl', await everything((t) => client.computes.list(t ? { continuationToken: t } : {}))],
      ['datastores.jsonl', await everything((t) => client.datastores.list(t ? { continuationToken: t } : {}))],
      ['codes.jsonl', await everything((t) => client.codes.listContainers(t ? { continuationToken: t } : {}))],
      ['models.jsonl', await everything((t) => client.models.list({ listViewType: 'All', ...(t ? { continuationToken: t } : {}) }))],
      ['experiments.jsonl', await everything((t) => client.runHistory.listExperiments({ viewType: 'All', ...(t ? { continuationToken: t } : {}) }))],
    ];
    const models = expectations[3]![1] as Array<{ name: string }>;
    const modelVersions = [];
    for (const model of models) modelVersions.push(...await everything((t) => client.models.listVersions(model.name, { listViewType: 'All', ...(t ? { continuationToken: t } : {}) })));
    expectations.push(['model-versions.jsonl', modelVersions]);
    const codeVersions = [];
    for (const code of expectations[2]![1] as Array<{ name: string }>) codeVersions.push(...await everything((t) => client.codes.listVersions(code.name, t ? { continuationToken: t } : {})));
    expectations.push(['code-versions.jsonl', codeVersions]);

    for (const [file, items] of expectations) {
      const written = lines(full, file);
      assert.equal(written.length, items.length, `${file}: one line per item`);
      items.forEach((item, i) => assert.deepEqual(written[i], plainRecord(item), `${file} line ${i + 1}`));
    }
    assert.ok(models.length > 0 && modelVersions.length > models.length, 'the demo has models with several versions');
    assert.deepEqual((expectations[2]![1] as Array<{ name: string }>).map((c) => c.name).sort(), ['eval-src', 'train-src']);
    assert.equal(codeVersions.length, 3);

    const jobs = await everything((t) => client.jobs.list({ listViewType: 'All', ...(t ? { continuationToken: t } : {}) }));
    assert.ok(jobs.length > 6, 'several pages of jobs');
    const jobLines = lines(full, 'jobs.jsonl') as Array<{ job: { name: string }; run: unknown }>;
    assert.equal(jobLines.length, jobs.length);
    const metricLines = lines(full, 'metrics.jsonl') as Array<{ job: string; key: string; step: number; timestamp: number; value: unknown }>;
    let pointsSeen = 0;
    for (const [i, job] of jobs.entries()) {
      assert.deepEqual(jobLines[i]!.job, plainRecord(job), `job ${job.name}`);
      const run = await client.metrics.getRun(job.name);
      assert.deepEqual(jobLines[i]!.run, plainTrackedRun(run), `params, tags and status of ${job.name}`);
      for (const key of Object.keys(run.metrics).sort()) {
        const history = await readMetricHistory(client.metrics, job.name, key);
        const exported = metricLines.filter((m) => m.job === job.name && m.key === key);
        assert.deepEqual(exported, history.map((p) => ({ job: job.name, key, step: p.step, timestamp: p.timestamp, value: jsonMetricValue(p.value) })), `${job.name} ${key}`);
        pointsSeen += history.length;
      }
    }
    assert.equal(metricLines.length, pointsSeen, 'nothing in metrics.jsonl but those histories');
    assert.ok(pointsSeen > 100, 'full histories, not latest values');

    assert.deepEqual(lines(full, 'artifacts.jsonl'), Object.entries(artifactJob.files).map(([p, content]) => ({ job: artifactJob.name, path: p, size: Buffer.byteLength(content) })));
    for (const [p, content] of Object.entries(artifactJob.files)) {
      assert.equal(readFileSync(path.join(full, 'artifacts', artifactJob.name, ...p.split('/')), 'utf8'), content);
    }

    const workspace = await client.getWorkspace();
    assert.deepEqual(JSON.parse(readFileSync(path.join(full, 'workspace.json'), 'utf8')), plainRecord(workspace));
    const index = JSON.parse(readFileSync(path.join(full, 'index.json'), 'utf8')) as ExportIndex;
    assert.deepEqual(index, fullIndex);
    assert.equal(index.workspaceId, workspace.workspaceId);
    assert.ok(index.workspaceId);
    assert.ok(Math.abs(Date.parse(index.exportedAt) - Date.now()) < 10 * 60_000);
    assert.equal(index.apiVersions['Microsoft.MachineLearningServices'], '2024-10-01');
    assert.deepEqual(index.kinds['jobs'], { files: ['jobs.jsonl', 'metrics.jsonl', 'artifacts.jsonl'], count: jobs.length });
    assert.deepEqual(index.kinds['models'], { files: ['models.jsonl', 'model-versions.jsonl'], count: models.length });
    // The local workspace has no environments or data assets: recorded, not an error.
    assert.deepEqual(index.kinds['environments'], { notOffered: { status: 404, code: 'NotFound' } });
    assert.deepEqual(index.kinds['data'], { notOffered: { status: 404, code: 'NotFound' } });
    assert.ok(!existsSync(path.join(full, 'environments.jsonl')));
    assert.ok(!existsSync(path.join(full, stateFileName)), 'no state left behind by a finished export');
  });

  it('writes no datastore secret anywhere', async () => {
    const secrets: string[] = [];
    for (const datastore of await everything((t) => client.datastores.list(t ? { continuationToken: t } : {}))) {
      if (datastore.credentialsType === 'None') continue;
      const found = await client.datastores.listSecrets(datastore.name);
      secrets.push(...Object.entries(found).filter(([k]) => k !== 'secretsType').map(([, v]) => String(v)));
    }
    assert.ok(secrets.length > 0, 'the demo has datastores with secrets');
    for (const [file, content] of filesOf(full)) {
      for (const secret of secrets) assert.ok(!content.includes(secret), `${file} holds a datastore secret`);
      assert.doesNotMatch(content, /[?&]sig=/, `${file} holds a SAS`);
    }
  });

  it('resumes after a cancel midway: nothing written twice, the same files as an uninterrupted export', async () => {
    const folder = path.join(scratch, 'resumed');
    const controller = new AbortController();
    const cancelAfter = 4;
    await assert.rejects(
      exportWorkspaceData({
        client, folder, includeArtifacts: true, signal: controller.signal,
        onProgress: (p) => {
          if (p.kind === 'jobs' && p.count === cancelAfter) controller.abort();
        },
      }),
      { name: 'AbortError' });
    assert.ok(!existsSync(path.join(folder, 'index.json')), 'no index for an unfinished export');
    assert.ok(existsSync(path.join(folder, 'models.jsonl')), 'finished kinds are in place');
    assert.ok(!existsSync(path.join(folder, 'jobs.jsonl')), 'the kind in progress is not');
    // A crash in the middle of the next write would leave half a line: the re-run cuts it away.
    appendFileSync(path.join(folder, 'metrics.jsonl.partial'), '{"job":"half-writ');
    const before = statSync(path.join(folder, 'models.jsonl')).mtimeMs;

    const progress: ExportProgress[] = [];
    await exportWorkspaceData({ client, folder, includeArtifacts: true, onProgress: (p) => progress.push(p) });
    assert.deepEqual(progress[0], { kind: 'jobs', count: cancelAfter + 1 }, 'the re-run starts at the next job');
    assert.ok(progress.every((p) => p.kind === 'jobs'));
    assert.equal(statSync(path.join(folder, 'models.jsonl')).mtimeMs, before, 'finished kinds are not redone');

    const jobNames = (lines(folder, 'jobs.jsonl') as Array<{ job: { name: string } }>).map((l) => l.job.name);
    assert.equal(new Set(jobNames).size, jobNames.length, 'no job twice');
    const expected = filesOf(full);
    const actual = filesOf(folder);
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
    for (const [file, content] of expected) {
      if (file === 'index.json') continue;
      assert.equal(actual.get(file), content, file);
    }
    const { exportedAt: _a, ...index } = JSON.parse(actual.get('index.json')!) as ExportIndex;
    const { exportedAt: _b, ...fullWithoutTime } = fullIndex;
    assert.deepEqual(index, fullWithoutTime);
  });

  it('running again into a finished export updates it in place, nothing duplicated', async () => {
    const expected = filesOf(full);
    const index = await exportWorkspaceData({ client, folder: full, includeArtifacts: true });
    assert.ok(index.exportedAt >= fullIndex.exportedAt);
    const actual = filesOf(full);
    for (const [file, content] of expected) if (file !== 'index.json') assert.equal(actual.get(file), content, file);
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
  });

  it('masks a secret a user put in their own data (a SAS URL or connection string in a tag)', async () => {
    const signature = 'c2VjcmV0LXNpZ25hdHVyZS0xMjM0NTY3ODkw';
    const accountKey = 'QWNjb3VudEtleVNlY3JldDEyMzQ1Njc4OTA=';
    await client.models.createOrUpdate('tagged-with-secrets', {
      tags: {
        source: `https://data.blob.core.windows.net/raw?sv=2024-01-01&sr=c&sig=${signature}`,
        connection: `DefaultEndpointsProtocol=https;AccountName=data;AccountKey=${accountKey};EndpointSuffix=core.windows.net`,
        owner: 'ml-team',
      },
    });
    const folder = path.join(scratch, 'masked');
    await exportWorkspaceData({ client, folder });
    const model = (lines(folder, 'models.jsonl') as Array<{ name: string; tags: Record<string, string> }>).find((m) => m.name === 'tagged-with-secrets');
    assert.deepEqual(model?.tags, {
      source: 'https://data.blob.core.windows.net/raw?sv=2024-01-01&sr=c&sig=***',
      connection: 'DefaultEndpointsProtocol=https;AccountName=data;AccountKey=***;EndpointSuffix=core.windows.net',
      owner: 'ml-team',
    });
    for (const [file, content] of filesOf(folder)) {
      assert.ok(!content.includes(signature) && !content.includes(accountKey), `${file} holds the secret`);
    }
  });

  it('refuses a second export into a folder another export is writing into', async () => {
    const folder = path.join(scratch, 'busy');
    let second: Promise<unknown> | undefined;
    const outcome = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => 'finished', (error: unknown) => error);
    await exportWorkspaceData({
      client, folder,
      onProgress: () => {
        second ??= outcome(exportWorkspaceData({ client, folder }));
      },
    });
    const refused = await second;
    assert.ok(refused instanceof Error, 'the second export is refused');
    assert.match(refused.message, /^Another export \(process \d+\) is writing into .*busy: wait for it to finish, or cancel it, then run this one again\.$/);
    const jobNames = (lines(folder, 'jobs.jsonl') as Array<{ job: { name: string } }>).map((l) => l.job.name);
    assert.equal(new Set(jobNames).size, jobNames.length);
    assert.ok(!existsSync(path.join(folder, '.azml-export.lock')), 'the lock is gone with the export');
    await exportWorkspaceData({ client, folder });
  });

  it('a folder holding only the lock files another export left (its guard, its file written aside) is taken for that export, not for other files', async () => {
    const folder = path.join(scratch, 'lock-leftovers');
    mkdirSync(folder);
    const lock = path.join(folder, '.azml-export.lock');
    const exited = spawnSync(process.execPath, ['-e', '']).pid!;
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      // Another export holds the folder now, in the middle of writing its lock aside.
      writeFileSync(lock, String(sleeper.pid));
      writeFileSync(`${lock}.${sleeper.pid}-0a1b2c3d.tmp`, String(sleeper.pid));
      await assert.rejects(exportWorkspaceData({ client, folder }),
        new RegExp(`Another export \\(process ${sleeper.pid}\\) is writing into .*lock-leftovers: wait for it to finish`));
    } finally {
      sleeper.kill('SIGKILL');
    }
    // An export that crashed while taking over a stale lock.
    writeFileSync(lock, String(exited));
    writeFileSync(`${lock}.takeover`, String(exited));
    await exportWorkspaceData({ client, folder });
    assert.ok(existsSync(path.join(folder, 'index.json')), 'the export went ahead');
    assert.ok(!existsSync(lock) && !existsSync(`${lock}.takeover`), 'and released the lock it took over');
  });

  describe('a folder holding the export of another workspace', () => {
    let other: WorkspaceClient;
    const anotherWorkspace = 'ExportOfAnotherWorkspace';

    /** Runs an export of `of` into `folder` and cancels it once `jobs` jobs are written. */
    async function canceledExport(of: WorkspaceClient, folder: string, jobs: number): Promise<void> {
      const controller = new AbortController();
      await assert.rejects(exportWorkspaceData({
        client: of, folder, signal: controller.signal,
        onProgress: (p) => {
          if (p.kind === 'jobs' && p.count === jobs) controller.abort();
        },
      }), { name: 'AbortError' });
      assert.ok(existsSync(path.join(folder, stateFileName)), 'an unfinished export');
    }

    before(async () => {
      await createWorkspace(local, 'other-export-ws');
      other = connectLocalWorkspace({ ...local.connection, workspace: 'other-export-ws' }).workspaceClient;
    });

    it('refuses to overwrite it, changing nothing, and says what to do; that workspace itself updates it', async () => {
      const folder = path.join(scratch, 'theirs-finished');
      const theirs = await exportWorkspaceData({ client: other, folder });
      const before = snapshotOf(folder);
      await assert.rejects(exportWorkspaceData({ client, folder, includeArtifacts: true }), (error: Error & { code?: string }) => {
        assert.equal(error.message, `${folder} holds the export of another workspace, other-export-ws (${other.resourceId}). `
          + `Export workspace ${client.workspace.workspaceName} into an empty folder, or export other-export-ws into ${folder} to update that export. Nothing in ${folder} was changed.`);
        assert.equal(error.code, anotherWorkspace);
        return true;
      });
      assert.deepEqual(snapshotOf(folder), before, 'nothing in the folder changed');
      assert.equal(theirs.workspace.resourceId, other.resourceId, 'index.json records whose export it is');
      const again = await exportWorkspaceData({ client: other, folder });
      assert.equal(again.workspace.workspaceName, 'other-export-ws');
    });

    it('refuses to resume it when unfinished (no mixing of its files and page token), and its own workspace then finishes it', async () => {
      const folder = path.join(scratch, 'ours-unfinished');
      await canceledExport(client, folder, 4);
      const before = snapshotOf(folder);
      await assert.rejects(exportWorkspaceData({ client: other, folder }), (error: Error & { code?: string }) => {
        assert.equal(error.message, `${folder} holds an unfinished export of another workspace, ${client.workspace.workspaceName} (${client.resourceId}). `
          + `Export workspace other-export-ws into an empty folder, or export ${client.workspace.workspaceName} into ${folder} to finish that export. Nothing in ${folder} was changed.`);
        assert.equal(error.code, anotherWorkspace);
        return true;
      });
      assert.deepEqual(snapshotOf(folder), before, 'nothing in the folder changed');
      const state = JSON.parse(readFileSync(path.join(folder, stateFileName), 'utf8')) as ExportState;
      assert.deepEqual(state.workspace, { resourceId: client.resourceId, workspaceId: (await client.getWorkspace()).workspaceId }, 'the state file records whose export it is');

      const progress: ExportProgress[] = [];
      const index = await exportWorkspaceData({ client, folder, onProgress: (p) => progress.push(p) });
      assert.deepEqual(progress[0], { kind: 'jobs', count: 5 }, 'the same workspace resumes where it stopped');
      assert.equal(index.workspace.workspaceName, client.workspace.workspaceName);
      const jobs = await everything((t) => client.jobs.list({ listViewType: 'All', ...(t ? { continuationToken: t } : {}) }));
      assert.deepEqual((lines(folder, 'jobs.jsonl') as Array<{ job: { name: string } }>).map((l) => l.job.name), jobs.map((j) => j.name));
    });

    it('an unfinished export begun by an older version (its state names no workspace) is judged by its workspace.json; with nothing recorded, it is refused', async () => {
      const folder = path.join(scratch, 'older-unfinished');
      await canceledExport(client, folder, 4);
      const stateFile = path.join(folder, stateFileName);
      const { workspace: _recorded, ...older } = JSON.parse(readFileSync(stateFile, 'utf8')) as ExportState;
      writeFileSync(stateFile, JSON.stringify(older));
      const before = snapshotOf(folder);
      await assert.rejects(exportWorkspaceData({ client: other, folder }), (error: Error) => {
        assert.match(error.message, /holds an unfinished export of another workspace, /);
        return true;
      });
      assert.deepEqual(snapshotOf(folder), before);
      const progress: ExportProgress[] = [];
      await exportWorkspaceData({ client, folder, onProgress: (p) => progress.push(p) });
      assert.deepEqual(progress[0], { kind: 'jobs', count: 5 }, 'its own workspace resumes it');

      const unknown = path.join(scratch, 'unknown-unfinished');
      await canceledExport(client, unknown, 4);
      writeFileSync(path.join(unknown, stateFileName), JSON.stringify(older));
      rmSync(path.join(unknown, 'workspace.json'));
      const unknownBefore = snapshotOf(unknown);
      for (const of of [other, client]) {
        await assert.rejects(exportWorkspaceData({ client: of, folder: unknown }), (error: Error & { code?: string }) => {
          assert.equal(error.message, `${unknown} holds an export that does not record which workspace it is of, so it is neither resumed nor overwritten. `
            + `Export workspace ${of.workspace.workspaceName} into an empty folder, or delete that export's files from ${unknown} first. Nothing in ${unknown} was changed.`);
          assert.equal(error.code, anotherWorkspace);
          return true;
        });
      }
      assert.deepEqual(snapshotOf(unknown), unknownBefore);
    });

    it('refuses the export of an earlier workspace of the same name (another workspace id), perhaps deleted since', async () => {
      const folder = path.join(scratch, 'earlier-namesake');
      await exportWorkspaceData({ client, folder });
      const indexFile = path.join(folder, 'index.json');
      const index = JSON.parse(readFileSync(indexFile, 'utf8')) as ExportIndex;
      writeFileSync(indexFile, JSON.stringify({ ...index, workspaceId: '00000000-0000-0000-0000-0000000000ee' }));
      const before = snapshotOf(folder);
      await assert.rejects(exportWorkspaceData({ client, folder }), (error: Error) => {
        assert.equal(error.message, `${folder} holds an export of an earlier workspace named ${client.workspace.workspaceName} (workspace id 00000000-0000-0000-0000-0000000000ee; this one is ${index.workspaceId}), `
          + `perhaps deleted since: export into an empty folder, so as to keep that export. Nothing in ${folder} was changed.`);
        return true;
      });
      assert.deepEqual(snapshotOf(folder), before);
    });
  });

  describe('artifact files whose names are refused here', () => {
    let refusedJob: string;

    before(async () => {
      const jobs = await everything((token) => client.jobs.list({ listViewType: 'All', ...(token ? { continuationToken: token } : {}) }));
      refusedJob = jobs[1]!.name;
      const storage = await openDatastoreForTransfer(client, await client.datastores.get(artifactDatastoreName), undefined);
      if (storage.kind !== 'blob') throw new Error('blob artifact store expected');
      await storage.container.getBlockBlobClient(`${jobArtifactFolder(refusedJob)}ok.txt`).upload('ok', 2);
      // Azurite keeps backslashes as "/": the blob is named "<job folder>/hostile/../../evil.txt".
      await storage.container.getBlockBlobClient(`${jobArtifactFolder(refusedJob)}hostile\\..\\..\\evil.txt`).upload('evil', 4);
    });

    it('are counted in the index with the reason, marked in artifacts.jsonl, across a cancel and resume, and written nowhere', async () => {
      const folder = path.join(scratch, 'refused-artifacts');
      const controller = new AbortController();
      await assert.rejects(exportWorkspaceData({
        client, folder, includeArtifacts: true, signal: controller.signal,
        onProgress: (p) => {
          if (p.kind === 'jobs' && p.count === 2) controller.abort();
        },
      }), { name: 'AbortError' });
      const index = await exportWorkspaceData({ client, folder, includeArtifacts: true });
      const reason = 'refused: the name contains ".."';
      const jobs = index.kinds['jobs'];
      assert.ok(jobs && 'files' in jobs);
      assert.deepEqual(jobs.artifactsNotWritten, { count: 1, first: [{ job: refusedJob, path: 'hostile/../../evil.txt', reason }] });
      assert.deepEqual(JSON.parse(readFileSync(path.join(folder, 'index.json'), 'utf8')), index);
      const listed = (lines(folder, 'artifacts.jsonl') as Array<{ job: string }>).filter((l) => l.job === refusedJob);
      assert.deepEqual(listed, [
        { job: refusedJob, path: 'hostile/../../evil.txt', size: 4, notWritten: reason },
        { job: refusedJob, path: 'ok.txt', size: 2 },
      ]);
      assert.equal(readFileSync(path.join(folder, 'artifacts', refusedJob, 'ok.txt'), 'utf8'), 'ok');
      assert.ok(!readdirSync(scratch, { recursive: true, encoding: 'utf8' }).some((n) => n.endsWith('evil.txt')), 'evil.txt was written nowhere');

      const again = await exportWorkspaceData({ client, folder, includeArtifacts: true });
      assert.deepEqual(again.kinds['jobs'], jobs, 'an update counts them anew, not on top of the earlier count');
      const names = await exportWorkspaceData({ client, folder: path.join(scratch, 'refused-names-only') });
      assert.ok(names.kinds['jobs'] && !('artifactsNotWritten' in names.kinds['jobs']), 'listing names only writes no file, so leaves none out');
    });
  });
});
