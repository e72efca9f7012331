import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { azml, localTarget } from '../badInput/harness';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { repoRoot } from '../support/repo';

const bundle = (lang?: string): Record<string, string> =>
  JSON.parse(readFileSync(path.join(repoRoot, 'l10n', lang ? `bundle.l10n.${lang}.json` : 'bundle.l10n.json'), 'utf8')) as Record<string, string>;

describe('cli: English, with the extension\'s messages', function () {
  this.timeout(60_000);
  let local: StartedLocalWorkspace;
  let work: string;

  before(async () => {
    local = await startLocalWorkspace();
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-cli-lang-'));
  });
  after(async () => {
    await local?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('answers in English in a Dutch environment, with the message the extension shows (in English) for the same mistake', () => {
    const message = 'Use "/" to separate folders, not "\\".';
    assert.ok(bundle()[message], 'the extension shows this message too');
    const dutch = bundle('nl')[message]!;
    const result = azml(['download', '--datastore', 'workspaceblobstore', '--path', 'a\\b', '--to', path.join(work, 'out'), ...localTarget(local)], {
      env: { LANG: 'nl_NL.UTF-8', LC_ALL: 'nl_NL.UTF-8', LANGUAGE: 'nl', VSCODE_NLS_CONFIG: JSON.stringify({ locale: 'nl' }) },
    });
    assert.notEqual(result.status, 0);
    assert.ok(result.stderr.includes(message), result.stderr);
    assert.ok(!result.stderr.includes(dutch), result.stderr);
  });
});
