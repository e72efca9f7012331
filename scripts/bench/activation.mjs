// `npm run bench:activation`: how long the extension takes to activate (load dist/extension.js
// and run activate()) in a real extension host (code-server), each run in a fresh host.
// A measurement, not a test: numbers vary with the machine's load.
//   node scripts/bench/activation.mjs [--runs 3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureHostInstalled } from '../vscode-host/install.mjs';
import { runMochaInHost } from '../vscode-host/runMochaInHost.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs wants a positive whole number, got "${values.runs}"`);

const build = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
await ensureHostInstalled({ log: (line) => console.log(line) });
const scratch = mkdtempSync(path.join(os.tmpdir(), 'azml-bench-activation-'));
const figures = [];
try {
  for (let i = 1; i <= runs; i++) {
    const file = path.join(scratch, `run-${i}.json`);
    const result = await runMochaInHost({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'scripts', 'bench', 'activationProbe.cjs'),
      env: { AZML_BENCH_ACTIVATION_FILE: file },
      log: () => {},
    });
    if (result.exitCode !== 0) throw new Error(`run ${i}: the host ended with ${result.exitCode}${result.error ? `: ${result.error}` : ''}`);
    const { activationMs } = JSON.parse(readFileSync(file, 'utf8'));
    figures.push(activationMs);
    console.log(`run ${i}: activation ${activationMs.toFixed(1)} ms`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const sorted = [...figures].sort((a, b) => a - b);
console.log(`activation over ${runs} run(s): median ${sorted[Math.floor((sorted.length - 1) / 2)].toFixed(1)} ms, min ${sorted[0].toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms`);
