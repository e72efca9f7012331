// The packaged extension (.vsix) as VS Code runs it for a user (Production mode), seen from
// another extension in the same extension host: it exports nothing.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageExtension } from '../../scripts/package.mjs';
import { runMochaInHost } from '../../scripts/vscode-host/runMochaInHost.mjs';

const probe = join(dirname(fileURLToPath(import.meta.url)), 'probe-extension');

describe('e2e: the installed extension in Production mode', function () {
  this.timeout(300_000);

  it('gives other extensions no API (the test API exists only when VS Code runs its tests)', async () => {
    const lines = [];
    const result = await runMochaInHost({
      extensionDevelopmentPath: probe,
      extensionTestsPath: join(probe, 'suite', 'index.cjs'),
      vsixPaths: [packageExtension({ reuseFresh: true })],
      log: (line) => lines.push(line),
    });
    assert.deepEqual([result.exitCode, result.passed, result.failed], [0, 1, 0], lines.join('\n'));
  });
});
