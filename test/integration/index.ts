// extensionTestsPath: runs the bundled integration suites inside the extension host.
import * as path from 'node:path';

export function run(): Promise<unknown> {
  const repoRoot = path.resolve(__dirname, '..', '..');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runMochaSuite } = require(path.join(repoRoot, 'scripts', 'vscode-host', 'runMochaSuite.cjs')) as {
    runMochaSuite(options: { testsRoot: string; timeoutMs?: number; grep?: string }): Promise<unknown>;
  };
  const grep = process.env['AZML_TEST_GREP'];
  return runMochaSuite({ testsRoot: __dirname, timeoutMs: 60_000, ...(grep ? { grep } : {}) });
}
