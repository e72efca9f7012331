import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { artifactDatastoreName, jobArtifactFolder } from '../../src/azure/artifactPaths';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { exportWorkspaceData, type ExportIndex } from '../../src/core/export/exportWorkspace';
import { openDatastoreForTransfer } from '../../src/core/transfer/openDatastore';
import { ensureBuilt, repoRoot } from '../support/repo';
import { createWorkspace, startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

describe('azml export (bundled dist/cli.js) against the local workspace', function () {
  this.timeout(180_000);
  let local: StartedLocalWorkspace;
  let scratch: string;

  function azml(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    ensureBuilt();
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args, '--local', '--data', local.dataDir], {
      encoding: 'utf8', timeout: 120_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  function jsonLines(file: string): unknown[] {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);
  }

  before(async () => {
    local = await startLocalWorkspace({ seed: 'demo', pageSize: 5 });
    scratch = mkdtempSync(path.join(os.tmpdir(), 'azml-cli-export-'));
  });
  after(async () => {
    await local?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('exports into a folder, prints the index with --json, and a second run updates it without duplicates', () => {
    const folder = path.join(scratch, 'out');
    const first = azml('export', folder, '--json');
    assert.equal(first.status, 0, first.stderr);
    const index = JSON.parse(first.stdout) as ExportIndex;
    assert.deepEqual(JSON.parse(readFileSync(path.join(folder, 'index.json'), 'utf8')), index);
    const jobs = index.kinds['jobs'];
    assert.ok(jobs && 'count' in jobs && jobs.count > 5);
    const jobLines = jsonLines(path.join(folder, 'jobs.jsonl')) as Array<{ job: { name: string }; run: { params: Record<string, string> } | null }>;
    assert.equal(jobLines.length, jobs.count);
    assert.ok(jobLines.some((l) => l.run && Object.keys(l.run.params).length > 0), 'params of the demo runs');
    const points = jsonLines(path.join(folder, 'metrics.jsonl'));
    assert.ok(points.length > 100);

    const second = azml('export', folder);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /^KIND +COUNT +FILES$/m);
    assert.match(second.stdout, /^environments +- +not offered by the service \(HTTP 404\)$/m);
    assert.match(second.stdout, new RegExp(`^jobs +${jobs.count} +jobs\\.jsonl, metrics\\.jsonl, artifacts\\.jsonl$`, 'm'));
    assert.match(second.stdout, /Exported to .*out \(index\.json lists it all\)\.\n$/);
    assert.equal(jsonLines(path.join(folder, 'jobs.jsonl')).length, jobs.count);
    assert.equal(jsonLines(path.join(folder, 'metrics.jsonl')).length, points.length);
  });

  it('says what to do when the folder is missing or is a file', () => {
    const none = azml('export');
    assert.equal(none.status, 2);
    assert.match(none.stderr, /^azml: Name one folder to export into: azml export <folder>/);
    const file = path.join(scratch, 'a-file');
    writeFileSync(file, 'x');
    const onFile = azml('export', file);
    assert.equal(onFile.status, 1);
    assert.equal(onFile.stderr.split('\n').length, 2, onFile.stderr);
    assert.match(onFile.stderr, /a-file/);
  });

  it('does not write over a folder of other files (a project folder), and says to pick an empty one', () => {
    const project = path.join(scratch, 'project');
    mkdirSync(project);
    writeFileSync(path.join(project, 'index.json'), '{"mine": true}\n');
    writeFileSync(path.join(project, 'train.py'), 'print(1)\n');
    const refused = azml('export', project);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /project holds other files \(index\.json, train\.py\) and no earlier export: export into an empty folder, or into an earlier export to update it\. Nothing was written\./);
    assert.deepEqual(readdirSync(project).sort(), ['index.json', 'train.py']);
    assert.equal(readFileSync(path.join(project, 'index.json'), 'utf8'), '{"mine": true}\n');
  });

  it('refuses a folder holding another workspace\'s export, changing nothing, and says what to do', async () => {
    await createWorkspace(local, 'cli-other-ws');
    const other = connectLocalWorkspace({ ...local.connection, workspace: 'cli-other-ws' }).workspaceClient;
    const folder = path.join(scratch, 'theirs');
    await exportWorkspaceData({ client: other, folder });
    const before = readdirSync(folder).sort().map((name) => [name, readFileSync(path.join(folder, name), 'utf8')]);
    const refused = azml('export', folder);
    assert.equal(refused.status, 1, refused.stdout);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /^azml: .*theirs holds the export of another workspace, cli-other-ws \(\/subscriptions\/[^)]*\/workspaces\/cli-other-ws\)\. Export workspace \S+ into an empty folder, or export cli-other-ws into .*theirs to update that export\. Nothing in .*theirs was changed\.\n/);
    assert.deepEqual(readdirSync(folder).sort().map((name) => [name, readFileSync(path.join(folder, name), 'utf8')]), before);
  });

  it('--include-artifacts: an artifact file whose name is refused here makes exit code 1, saying which and why', async () => {
    const client = connectLocalWorkspace(local.connection).workspaceClient;
    const job = (await client.jobs.list({ listViewType: 'All' })).items[0]!.name;
    const storage = await openDatastoreForTransfer(client, await client.datastores.get(artifactDatastoreName), undefined);
    if (storage.kind !== 'blob') throw new Error('blob artifact store expected');
    // Azurite keeps backslashes as "/": the blob is named "<job folder>/hostile/../../evil.txt".
    await storage.container.getBlockBlobClient(`${jobArtifactFolder(job)}hostile\\..\\..\\evil.txt`).upload('evil', 4);
    await storage.container.getBlockBlobClient(`${jobArtifactFolder(job)}ok.txt`).upload('ok', 2);
    const folder = path.join(scratch, 'with-artifacts');
    const result = azml('export', folder, '--include-artifacts');
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /^jobs +\d+ +jobs\.jsonl, metrics\.jsonl, artifacts\.jsonl \(1 artifact files not written\)$/m);
    assert.equal(result.stderr, `azml: 1 artifact file was not written (hostile/../../evil.txt of job ${job}: refused: the name contains ".."); `
      + 'artifacts.jsonl marks it with "notWritten" and the reason. Rename it in the datastore, then export again, to get it.\n');
    assert.equal(readFileSync(path.join(folder, 'artifacts', job, 'ok.txt'), 'utf8'), 'ok');
    const json = azml('export', folder, '--include-artifacts', '--json');
    assert.equal(json.status, 1);
    const index = JSON.parse(json.stdout) as ExportIndex;
    assert.deepEqual(index.kinds['jobs'] && 'files' in index.kinds['jobs'] && index.kinds['jobs'].artifactsNotWritten,
      { count: 1, first: [{ job, path: 'hostile/../../evil.txt', reason: 'refused: the name contains ".."' }] });
  });
});
