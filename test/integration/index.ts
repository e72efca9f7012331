// extensionTestsPath: runs the bundled integration suites inside the extension host.
import * as path from 'node:path';

export function run(): Promise<unknown> {
  const repoRoot = path.resolve(__dirname, '..', '..');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runMochaSuite } = require(path.join(repoRoot, 'scripts', 'vscode-host', 'runMochaSuite.cjs')) as {
    runMochaSuite(options: { testsRoot?: string; files?: string[]; timeoutMs?: number; grep?: string }): Promise<unknown>;
  };
  const grep = process.env['AZML_TEST_GREP'];
  // One test file per extension host, so each starts from a fresh VS Code profile.
  const file = process.env['AZML_TEST_FILE'];
  return runMochaSuite({
    ...(file ? { files: [path.join(__dirname, file)] } : { testsRoot: __dirname }),
    timeoutMs: 60_000,
    ...(grep ? { grep } : {}),
  });
}
