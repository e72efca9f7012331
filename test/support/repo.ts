import * as path from 'node:path';
import { execFileSync } from 'node:child_process';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const fixturesDir = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'azureml-rest-examples');

let built = false;
/** Bundles dist/ once per test process, so tests always exercise the current bundle. */
export function ensureBuilt(): void {
  if (built || process.env['AZML_TEST_SKIP_BUILD'] === '1') return;
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'ignore' });
  built = true;
}
