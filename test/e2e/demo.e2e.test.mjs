// `npm run demo -- --code-server` as a person runs it: the printed URL asks for the printed
// password (no one else on this machine gets the workbench and its terminal), and behind it the
// Azure ML views show the demo's local workspace.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { expandView, launchBrowser, openViewContainer, waitForWorkbench } from '../../scripts/vscode-host/browser.mjs';
import { findFreePort, forwardLines } from '../../scripts/vscode-host/codeServer.mjs';
import { repoRoot } from '../../scripts/package.mjs';
import { viewRow } from './workbenchViews.mjs';

/** Status and Location of a GET without any cookie. */
function getWithoutLogin(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: 10_000 }, (res) => {
      res.resume();
      resolve({ status: res.statusCode, location: res.headers.location ?? '' });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

describe('e2e: npm run demo in code-server', function () {
  this.timeout(300_000);
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let demo;
  /** @type {import('../../scripts/vscode-host/browser.mjs').LaunchedBrowser | undefined} */
  let browser;
  const printed = [];
  /** @type {Promise<number | string | null>} */
  let exited;

  /** Everything the demo printed up to its last line of instructions. */
  const whenReady = () => new Promise((resolve, reject) => {
    const check = () => {
      if (printed.some((line) => line.includes('Ctrl-C stops the demo.'))) resolve(printed.join('\n'));
    };
    demo.stdout.on('data', () => setImmediate(check));
    exited.then((code) => reject(new Error(`the demo exited (${code}) before it was ready:\n${printed.join('\n')}`)));
    check();
  });

  before(async () => {
    const port = await findFreePort();
    demo = spawn(process.execPath, [join(repoRoot, 'scripts', 'demo.mjs'), '--code-server', '--port', String(port)], {
      cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH: `${join(repoRoot, 'node_modules', '.bin')}:${process.env.PATH}` },
    });
    exited = new Promise((resolve) => demo.once('exit', (code, signal) => resolve(code ?? signal)));
    forwardLines(demo.stdout, (line) => printed.push(line));
    forwardLines(demo.stderr, (line) => printed.push(line));
    browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    if (demo && demo.exitCode === null && demo.signalCode === null) {
      process.kill(-demo.pid, 'SIGINT');
      await exited;
    }
  });

  it('prints a password with the URL; the URL asks for it, and behind it the views show the demo workspace', async () => {
    const instructions = await whenReady();
    const url = /Open: +your browser: (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(instructions)?.[1];
    assert.ok(url, instructions);
    const password = /Password: +(\S+)/.exec(instructions)?.[1];
    assert.ok(password, `a password is printed with the URL:\n${instructions}`);
    assert.ok(password.length >= 16, 'a generated password, long enough not to be guessed');

    const anonymous = await getWithoutLogin(url);
    assert.equal(anonymous.status, 302, 'the workbench is not served without the password');
    assert.match(anonymous.location, /login/);

    const { page } = browser;
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const field = page.locator('input[type="password"]');
    await field.fill('not-the-password');
    await field.press('Enter');
    await page.locator('.error', { hasText: /incorrect/i }).waitFor();
    await page.locator('input[type="password"]').fill(password);
    await page.locator('input[type="password"]').press('Enter');
    await waitForWorkbench(page);
    await openViewContainer(page, 'Azure ML');
    await expandView(page, 'Workspaces');
    await viewRow(page, 'Workspaces', 'Local subscription').waitFor({ timeout: 60_000 })
      .catch(async (error) => assert.fail(`${error.message}\nThe side bar shows: ${await page.locator('.part.sidebar').innerText().catch(() => '')}`));
  });

  it('stops code-server and the local workspace on Ctrl-C', async () => {
    process.kill(-demo.pid, 'SIGINT');
    assert.equal(await exited, 0, printed.join('\n'));
    const url = printed.map((line) => /(http:\/\/127\.0\.0\.1:\d+)\//.exec(line)?.[1]).find(Boolean);
    await assert.rejects(getWithoutLogin(`${url}/healthz`), /ECONNREFUSED/);
  });
});
