// Rebuilds dist/ when it is missing or older than any source file. Prints only to stderr, so the
// program started after it owns stdout (the local service's ready line).
import { spawnSync } from 'node:child_process';
import { existsSync, globSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outputs = ['dist/local.js', 'dist/cli.js', 'dist/azurite.js'].map((f) => path.join(root, f));
const newestSource = Math.max(...globSync('src/**/*.ts', { cwd: root }).map((f) => statSync(path.join(root, f)).mtimeMs));
const stale = outputs.some((f) => !existsSync(f) || statSync(f).mtimeMs < newestSource);
if (stale) {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 2, 2] });
  process.exit(result.status ?? 1);
}
