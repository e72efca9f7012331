import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt, repoRoot } from '../support/repo';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';

interface CliResult { status: number | null; stdout: string; stderr: string }

function azml(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  ensureBuilt();
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], {
    encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('azml command line (bundled dist/cli.js) against the local workspace', () => {
  let local: StartedLocalWorkspace;

  before(async () => {
    local = await startLocalWorkspace({ seed: 'demo', pageSize: 5 });
  });
  after(async () => {
    await local?.dispose();
  });

  it('lists both datastores as JSON, the blob store marked default', () => {
    const result = azml(['datastores', '--local', '--data', local.dataDir, '--json']);
    assert.equal(result.status, 0, result.stderr);
    const datastores = JSON.parse(result.stdout) as Array<{ name: string; datastoreType: string; isDefault: boolean }>;
    const byName = new Map(datastores.map((d) => [d.name, d]));
    assert.equal(byName.get('workspaceblobstore')?.datastoreType, 'AzureBlob');
    assert.equal(byName.get('workspaceblobstore')?.isDefault, true);
    assert.equal(byName.get('workspacefilestore')?.datastoreType, 'AzureFile');
    assert.equal(byName.get('workspacefilestore')?.isDefault, false);
  });

  it('finds the service through AZML_LOCAL_DATA and prints a table', () => {
    const result = azml(['datastores', '--local'], { AZML_LOCAL_DATA: local.dataDir });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^NAME\s+TYPE\s+LOCATION/m);
    assert.match(result.stdout, /workspaceblobstore\s+AzureBlob\s+devstoreaccount1\/\S+\s+AccountKey\s+yes/);
  });

  it('lists the local workspace', () => {
    const result = azml(['workspaces', '--local', '--data', local.dataDir, '--json']);
    assert.equal(result.status, 0, result.stderr);
    const workspaces = JSON.parse(result.stdout) as Array<{ name: string; resourceGroup: string }>;
    assert.deepEqual(workspaces.map((w) => w.name), ['local']);
  });

  it('lists seeded models and the versions of one', () => {
    const models = azml(['models', '--local', '--data', local.dataDir, '--json']);
    assert.equal(models.status, 0, models.stderr);
    const names = (JSON.parse(models.stdout) as Array<{ name: string }>).map((m) => m.name);
    assert.ok(names.length >= 3, `three models expected, got ${names.join(', ')}`);
    const versions = azml(['models', '--name', names[0]!, '--local', '--data', local.dataDir, '--json']);
    assert.equal(versions.status, 0, versions.stderr);
    assert.ok((JSON.parse(versions.stdout) as unknown[]).length >= 1);
  });

  it('prints a model URI that carries a SAS masked, in the table and in --json (output that ends up in CI logs)', async () => {
    const client = connectLocalWorkspace(local.connection).workspaceClient;
    await client.models.createOrUpdate('sas-model', {});
    await client.models.createOrUpdateVersion('sas-model', '1', { modelUri: 'https://acct.blob.core.windows.net/models/m.pkl?sv=2022-11-02&sr=b&sig=SECRETsig0123' });
    for (const json of [[], ['--json']]) {
      const result = azml(['models', '--name', 'sas-model', '--local', '--data', local.dataDir, ...json]);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /m\.pkl\?sv=2022-11-02&sr=b&sig=\*\*\*/);
      assert.doesNotMatch(result.stdout, /SECRETsig0123/);
    }
  });

  it('lists jobs of one experiment across service pages', () => {
    const all = azml(['jobs', '--local', '--data', local.dataDir, '--json', '--top', '500']);
    assert.equal(all.status, 0, all.stderr);
    const jobs = JSON.parse(all.stdout) as Array<{ name: string; experimentName: string }>;
    const counts = new Map<string, number>();
    for (const job of jobs) counts.set(job.experimentName, (counts.get(job.experimentName) ?? 0) + 1);
    const [biggest, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    assert.ok(count >= 60, `an experiment with 60+ runs expected, got ${count}`);

    const one = azml(['jobs', '--experiment', biggest, '--local', '--data', local.dataDir, '--json', '--top', '500']);
    assert.equal(one.status, 0, one.stderr);
    const filtered = JSON.parse(one.stdout) as Array<{ experimentName: string; name: string }>;
    assert.equal(filtered.length, count);
    assert.ok(filtered.every((j) => j.experimentName === biggest));
    assert.equal(new Set(filtered.map((j) => j.name)).size, count, 'no run listed twice across pages');
  });
});

describe('azml errors', () => {
  it('says in one line that no local workspace runs, and how to start one', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'azml-empty-'));
    try {
      const result = azml(['datastores', '--local', '--data', empty]);
      assert.equal(result.status, 1);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, /No local workspace is running .*npm run local/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('says in one line what is wrong with HTTPS_PROXY or NODE_EXTRA_CA_CERTS, without echoing the proxy password', () => {
    const proxy = azml(['workspaces', '--subscription', 's'], { HTTPS_PROXY: 'user:secret@proxy.corp:8080' });
    assert.equal(proxy.status, 1);
    assert.equal(proxy.stderr.trim(), 'azml: HTTPS_PROXY is not a proxy URL. Use the form http://proxy.example:8080.');
    const ca = azml(['workspaces', '--subscription', 's'], { NODE_EXTRA_CA_CERTS: path.join(os.tmpdir(), 'no-such-ca.pem') });
    assert.equal(ca.status, 1);
    assert.match(ca.stderr.trim().split('\n').at(-1)!, /^azml: NODE_EXTRA_CA_CERTS names ".*no-such-ca\.pem", which can't be read \(ENOENT\)\. Point it at a PEM file/);
  });

  it('rejects an unknown command with exit code 2', () => {
    const result = azml(['frobnicate']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Unknown command "frobnicate"/);
  });

  it('asks for the workspace when Azure flags are incomplete', () => {
    const result = azml(['datastores', '--subscription', 'x']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--resource-group/);
  });

  it('runs as `npx azml` through the package bin', () => {
    const result = spawnSync('npx', ['--no-install', 'azml', '--help'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Usage: azml <command>/);
  });
});
