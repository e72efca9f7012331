/**
 * What `azml` prints when the service (or a proxy in its place) refuses, and when nobody is
 * signed in: one line that says what happened and what to do. The bundled CLI, run against a
 * stub Resource Manager on loopback (a custom cloud), or against Azure with no way to sign in.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt, repoRoot } from '../support/repo';
import { StubServer } from '../azure/stubServer';

interface CliResult { status: number | null; stdout: string; stderr: string }

const workspaceArgs = ['--subscription', '00000000-0000-0000-0000-000000000000', '--resource-group', 'rg', '--workspace', 'ws'];

/** Asynchronous, since the stub answers from this process. `env` is the whole environment. */
function azml(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  ensureBuilt();
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], { encoding: 'utf8', env, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
  });
}

describe('azml error lines (bundled dist/cli.js)', function () {
  this.timeout(90_000);
  let dir: string;
  let stub: StubServer;
  let configFile: string;
  /** No proxy, no Azure settings, no tools on PATH: only what a test sets. */
  let bareEnv: NodeJS.ProcessEnv;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'azml-service-errors-'));
    stub = await StubServer.start();
    configFile = path.join(dir, 'cloud.json');
    await fs.writeFile(configFile, JSON.stringify({ name: 'Stub', resourceManagerEndpoint: stub.url, storageEndpointSuffix: 'core.windows.net' }));
    bareEnv = { HOME: dir, USERPROFILE: dir, AZURE_CONFIG_DIR: dir, ...(process.env['SYSTEMROOT'] ? { SYSTEMROOT: process.env['SYSTEMROOT'] } : {}) };
  });
  after(async () => {
    await stub?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a proxy\'s HTML page for a 403: the status, the page\'s title and the advice, never "<!DOCTYPE html>"', async () => {
    stub.answer(() => ({
      status: 403,
      body: '<!DOCTYPE html>\n<html><head>\n<title>Access Denied</title>\n</head><body>Blocked by policy.</body></html>\n',
      headers: { 'content-type': 'text/html' },
    }));
    const result = await azml(['datastores', '--cloud-config', configFile, ...workspaceArgs], { ...bareEnv, AZML_ACCESS_TOKEN: 'token' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^azml: The service answered 403 with a page titled "Access Denied"\. Ask an owner of the workspace for a role that allows this/);
    assert.doesNotMatch(result.stderr, /DOCTYPE/);
  });

  it('a message of several lines: its first line, and the advice still follows', async () => {
    stub.answer(() => ({ status: 403, body: { error: { code: 'AuthorizationFailed', message: 'The client may not read datastores.\nCorrelation: 1234' } } }));
    const result = await azml(['datastores', '--cloud-config', configFile, ...workspaceArgs], { ...bareEnv, AZML_ACCESS_TOKEN: 'token' });
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim(),
      'azml: The client may not read datastores. Ask an owner of the workspace for a role that allows this (for example AzureML Data Scientist), or use another workspace.');
  });

  it('nobody signed in (no az on PATH, no AZML_ACCESS_TOKEN): says how to sign in, within the time a command may take', async () => {
    // Azure itself is never reached: every request off loopback goes to this dead proxy, which
    // also keeps the managed identity probe (169.254.169.254) on this machine.
    const deadProxy = await StubServer.start();
    const proxyUrl = deadProxy.url;
    await deadProxy.close();
    stub.answer(() => ({ status: 500 }));
    const started = Date.now();
    const result = await azml(['workspaces', '--subscription', '00000000-0000-0000-0000-000000000000'],
      { ...bareEnv, PATH: '', HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl });
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim(), 'azml: Not signed in to Azure. Run az login (add --tenant if needed), or set AZML_ACCESS_TOKEN.');
    assert.ok(Date.now() - started < 45_000);
    assert.equal(stub.requests.length, 0);
  });
});
