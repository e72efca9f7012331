// `npm run bench:upload`: upload throughput of our engine against az CLI, AzCopy, a naive SDK loop
// and the raw limit (parallel PUTs of in-memory buffers), on the local workspace (Azurite blob).
// Not a test: it prints a table of medians and whether the targets of issue 4 are met.
//
//   node scripts/bench/upload.mjs [--runs N] [--only a,b,c,reupload] [--tools engine,cli,az,azcopy,naive,raw]
//                                 [--raw-concurrency 16,32,64] [--engine-tuning '{"maxConcurrency":64}']
//
// Everything runs on 127.0.0.1. Peers that are not installed are skipped with a line saying so:
// az from Debian (`apt-get install -y azure-cli`); AzCopy is installed on first use into
// .vscode-test/peers from npm (@azure-tools/azcopy-linux, scripts/peers/azcopy.mjs), outside the project's dependencies.
import { spawnSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { azcopyBinary, azcopyVersion } from '../peers/azcopy.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const node = process.execPath;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const runs = Number(option('runs', '3'));
const only = new Set(option('only', 'a,b,c,reupload').split(','));
const tools = new Set(option('tools', 'engine,cli,az,azcopy,naive,raw').split(','));
const rawConcurrencyOption = option('raw-concurrency', undefined)?.split(',').map(Number);
/** JSON merged into the engine's tuning (src/core/transfer/tuning.ts), e.g. '{"maxConcurrency":64}'. */
const engineTuning = option('engine-tuning', undefined) ? JSON.parse(option('engine-tuning', '{}')) : undefined;

const benchDir = path.join(root, '.vscode-test', 'bench');
const devKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const KiB = 1024;
const MiB = 1024 * 1024;

const log = (line) => process.stderr.write(`${line}\n`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// ---- setup ----------------------------------------------------------------------------------

function buildWorker() {
  mkdirSync(benchDir, { recursive: true });
  const outfile = path.join(benchDir, 'uploadWorker.js');
  esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: ['scripts/bench/uploadWorker.cjs'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    // As scripts/build.mjs: @azure/storage-common calls createRequire(import.meta.url).
    banner: { js: 'const __importMetaUrl = require("url").pathToFileURL(__filename).href;' },
    define: { 'import.meta.url': '__importMetaUrl' },
  });
  return outfile;
}

async function startLocalWorkspace(dataDir) {
  spawnSync(node, ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
  const child = spawn(node, [path.join(root, 'dist', 'local.js'), '--data', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  const ready = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))));
    });
    child.once('exit', (code) => reject(new Error(`the local workspace exited (${code})`)));
  });
  return { ready, stop: () => new Promise((resolve) => { child.once('exit', resolve); process.kill(-child.pid, 'SIGTERM'); }) };
}

/** Registers a blob datastore (dev account key) for a container of the local workspace. */
async function registerDatastore(ready, dataDir, name, container) {
  const { token } = JSON.parse(readFileSync(path.join(dataDir, 'local-workspace.json'), 'utf8'));
  const url = `${ready.armEndpoint}/subscriptions/${ready.subscriptionId}/resourceGroups/${ready.resourceGroup}`
    + `/providers/Microsoft.MachineLearningServices/workspaces/${ready.workspace}/datastores/${name}?api-version=2024-10-01`;
  const response = await fetch(url, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ properties: {
      datastoreType: 'AzureBlob', accountName: 'devstoreaccount1', containerName: container, endpoint: 'local', protocol: 'http',
      credentials: { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey', key: devKey } },
    } }),
  });
  if (!response.ok) throw new Error(`registering datastore ${name}: ${response.status} ${await response.text()}`);
}

function which(command) {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Random content, written once and kept in the temp folder between bench runs (a marker says it is complete). */
function makeFiles(folder, count, size) {
  rmSync(folder, { recursive: true, force: true });
  for (let i = 0; i < count; i++) {
    const dir = path.join(folder, count > 100 ? `d${String(Math.floor(i / 100)).padStart(3, '0')}` : '');
    mkdirSync(dir, { recursive: true });
    // In pieces: this process stays small (its size would otherwise show in the workers' memory figures).
    const fd = openSync(path.join(dir, `f${String(i).padStart(5, '0')}.bin`), 'w');
    for (let written = 0; written < size; written += 8 * MiB) writeSync(fd, randomBytes(Math.min(8 * MiB, size - written)));
    closeSync(fd);
  }
  writeFileSync(`${folder}.complete`, '');
}

// ---- the tools ------------------------------------------------------------------------------

function worker(workerPath, job) {
  const result = spawnSync(node, [workerPath, JSON.stringify(job)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`worker ${job.mode} failed: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

function timed(command, commandArgs, env) {
  const started = performance.now();
  const result = spawnSync(command, commandArgs, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  const ms = performance.now() - started;
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${path.basename(command)} failed (${result.status}): ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ')}`);
  return ms;
}

async function containerSas(container) {
  const { ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } = await import('@azure/storage-blob');
  return generateBlobSASQueryParameters({
    containerName: container, permissions: ContainerSASPermissions.parse('racwdl'), expiresOn: new Date(Date.now() + 6 * 3600_000),
  }, new StorageSharedKeyCredential('devstoreaccount1', devKey)).toString();
}

/**
 * A new, empty container for one run, registered as its own datastore: every tool starts from the
 * same state, and Azurite does not slow down as earlier runs' blobs pile up (the container is
 * deleted after the run, not timed).
 */
let counter = 0;
async function freshTarget(ready, dataDir) {
  const { ContainerClient, StorageSharedKeyCredential } = await import('@azure/storage-blob');
  const id = counter++;
  const container = `bench-${id}`;
  const client = new ContainerClient(`${ready.blobEndpoint}/${container}`, new StorageSharedKeyCredential('devstoreaccount1', devKey));
  await client.create();
  await registerDatastore(ready, dataDir, `bench${id}`, container);
  return { container, datastore: `bench${id}`, sas: await containerSas(container), dispose: () => client.delete() };
}

// ---- main -----------------------------------------------------------------------------------

const work = mkdtempSync(path.join(tmpdir(), 'azml-bench-'));
const dataDir = path.join(work, 'local-data');
const filesRoot = path.join(tmpdir(), 'azml-bench-files');
log(`Load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (2 shared cores; other work makes numbers noisy)`);
const workerPath = buildWorker();
const local = await startLocalWorkspace(dataDir);
const { ready } = local;
const connectionString = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${devKey};BlobEndpoint=${ready.blobEndpoint};`;

const az = tools.has('az') ? which('az') : undefined;
if (tools.has('az') && !az) log('az CLI: not installed, skipped (apt-get install -y azure-cli)');
const azcopy = tools.has('azcopy') ? azcopyBinary({ log }) : undefined;
if (tools.has('azcopy') && !azcopy) log(`AzCopy: could not be installed from npm (@azure-tools/azcopy-linux@${azcopyVersion}), skipped`);
const azConfigDir = mkdtempSync(path.join(work, 'az-'));
const azcopyDirs = { AZCOPY_LOG_LOCATION: mkdtempSync(path.join(work, 'azcopy-log-')), AZCOPY_JOB_PLAN_LOCATION: mkdtempSync(path.join(work, 'azcopy-plan-')) };

// Azurite's own JIT warms up on its first few thousand requests: one unmeasured upload first,
// so the first tool measured is not the one that pays for it.
async function warmUp(folder) {
  const target = await freshTarget(ready, dataDir);
  try {
    worker(workerPath, { mode: 'raw', dataDir, datastore: target.datastore, prefix: 'warm-up', concurrency: 32, rawFiles: 3000, rawSize: 4 * KiB });
    worker(workerPath, { mode: 'engine', dataDir, datastore: target.datastore, folder, prefix: 'warm-up-engine' });
  } finally {
    await target.dispose();
  }
}

const workloads = [
  // rawConcurrencies: requests in parallel tried for the raw limit (whole files, or 8 MiB blocks for (c)).
  { id: 'a', label: '(a) 5,000 × 4 KiB', count: 5000, size: 4 * KiB, rawConcurrencies: [16, 32, 64] },
  { id: 'b', label: '(b) 200 × 1 MiB', count: 200, size: MiB, rawConcurrencies: [16, 32, 64] },
  { id: 'c', label: '(c) 1 × 512 MiB', count: 1, size: 512 * MiB, rawConcurrencies: [4, 8, 16] },
].filter((w) => only.has(w.id) || (w.id === 'a' && only.has('reupload')));

const rows = [];
try {
  let warm = false;
  for (const w of workloads) {
    const folder = path.join(filesRoot, w.id);
    if (!existsSync(`${folder}.complete`)) {
      log(`Writing ${w.label} to ${folder} …`);
      makeFiles(folder, w.count, w.size);
    }
    const bytes = w.count * w.size;
    if (!warm) {
      log('Warming Azurite up (not measured) …');
      await warmUp(folder);
      warm = true;
    }
    const rawConcurrencies = rawConcurrencyOption ?? w.rawConcurrencies;
    // Every tool uploads the folder's contents into `data/` of a fresh container.
    const toolRuns = {
      engine: (t) => {
        const measured = worker(workerPath, { mode: 'engine', dataDir, datastore: t.datastore, folder, prefix: 'data', ...(engineTuning ? { tuning: engineTuning } : {}) });
        if (measured.failed) throw new Error(`${measured.failed} files failed`);
        return { ms: measured.ms, rss: measured.maxRssMiB };
      },
      cli: (t) => ({ ms: timed(node, [path.join(root, 'dist', 'cli.js'), 'upload', folder, '--datastore', t.datastore, '--target', 'data', '--local', '--data', dataDir, '--json']) }),
      az: az && ((t) => ({
        ms: timed(az, ['storage', 'blob', 'upload-batch', '-d', t.container, '--destination-path', 'data', '-s', folder,
          '--connection-string', connectionString, '--max-connections', '16', '-o', 'none'],
        { AZURE_CONFIG_DIR: azConfigDir, AZURE_CORE_COLLECT_TELEMETRY: 'no', AZURE_CORE_ONLY_SHOW_ERRORS: 'true' }),
      })),
      azcopy: azcopy && ((t) => ({
        ms: timed(azcopy, ['copy', `${folder}/*`, `${ready.blobEndpoint}/${t.container}/data?${t.sas}`, '--from-to', 'LocalBlob',
          '--recursive', '--log-level', 'ERROR', '--output-level', 'quiet', '--skip-version-check'], azcopyDirs),
      })),
      naive: (t) => ({ ms: worker(workerPath, { mode: 'naive', dataDir, datastore: t.datastore, folder, prefix: 'data' }).ms }),
      raw: (t) => ({ ms: worker(workerPath, { mode: 'raw', dataDir, datastore: t.datastore, prefix: 'data', concurrency: t.concurrency, rawFiles: w.count, rawSize: w.size }).ms }),
    };
    const wanted = (only.has(w.id) ? Object.keys(toolRuns).filter((t) => tools.has(t)) : []).filter((t) => toolRuns[t]);
    const measuredRuns = Object.fromEntries(wanted.map((t) => [t, { times: [], rss: [], best: [], failure: undefined }]));
    // Round robin (every tool's first run, then every tool's second…), so drift in the machine's
    // load or in Azurite's warm-up does not favour whichever tool comes first.
    for (let i = 0; i < runs; i++) {
      for (const tool of wanted) {
        const record = measuredRuns[tool];
        if (record.failure) continue;
        try {
          // The raw limit: the best of a few concurrencies, the ceiling of this endpoint on this machine.
          let best;
          for (const concurrency of tool === 'raw' ? rawConcurrencies : [undefined]) {
            const target = { ...(await freshTarget(ready, dataDir)), concurrency };
            try {
              const measured = { ...toolRuns[tool](target), concurrency };
              if (!best || measured.ms < best.ms) best = measured;
            } finally {
              await target.dispose();
            }
          }
          record.times.push(best.ms);
          if (best.rss) record.rss.push(best.rss);
          if (best.concurrency) record.best.push(best.concurrency);
          log(`${w.label} ${tool} run ${i + 1}: ${(best.ms / 1000).toFixed(2)} s${best.rss ? `, peak RSS ${best.rss.toFixed(0)} MiB` : ''}${best.concurrency ? ` (${best.concurrency} in parallel)` : ''}`);
        } catch (error) {
          record.failure = error;
          log(`${w.label} ${tool}: ${error.message}`);
        }
      }
    }
    for (const tool of wanted) {
      const record = measuredRuns[tool];
      if (record.failure || record.times.length === 0) continue;
      const ms = median(record.times);
      rows.push({
        workload: w, tool, ms, filesPerSecond: w.count / (ms / 1000), mbPerSecond: bytes / MiB / (ms / 1000),
        rss: record.rss.length ? Math.max(...record.rss) : undefined,
        note: tool === 'raw' ? `best of ${rawConcurrencies.join('/')} in parallel (won: ${record.best.join(', ')})` : '',
      });
    }
    if (w.id === 'a' && only.has('reupload') && tools.has('engine')) {
      const times = [];
      const firsts = [];
      for (let i = 0; i < runs; i++) {
        const target = await freshTarget(ready, dataDir);
        const job = { mode: 'engine', dataDir, datastore: target.datastore, folder, prefix: 'data' };
        firsts.push(worker(workerPath, job).ms);
        const again = worker(workerPath, job);
        times.push(again.ms);
        await target.dispose();
        log(`${w.label} re-upload run ${i + 1}: first ${(firsts.at(-1) / 1000).toFixed(2)} s, unchanged ${(again.ms / 1000).toFixed(2)} s`);
      }
      rows.push({ workload: { ...w, label: '(a) again, unchanged' }, tool: 'engine, skip unchanged', ms: median(times), filesPerSecond: w.count / (median(times) / 1000), mbPerSecond: undefined, firstMs: median(firsts), note: `first upload ${(median(firsts) / 1000).toFixed(2)} s` });
    }
  }
} finally {
  await local.stop();
  rmSync(work, { recursive: true, force: true });
}

// ---- report ---------------------------------------------------------------------------------

const names = {
  engine: 'azml engine (in-process)', cli: 'azml upload (CLI, wall time)', az: 'az storage blob upload-batch', azcopy: `AzCopy ${azcopyVersion}`,
  naive: 'naive loop (SDK uploadFile, one at a time)', raw: 'raw limit (parallel PUTs of buffers)',
};
const table = [
  ['workload', 'tool', 'median s', 'files/s', 'MB/s', 'peak RSS', 'note'],
  ...rows.map((r) => [r.workload.label, names[r.tool] ?? r.tool, (r.ms / 1000).toFixed(2), r.workload.count > 1 ? r.filesPerSecond.toFixed(0) : '',
    r.mbPerSecond === undefined ? '' : r.mbPerSecond.toFixed(1), r.rss ? `${r.rss.toFixed(0)} MiB` : '', r.note]),
];
const widths = table[0].map((_, c) => Math.max(...table.map((row) => String(row[c]).length)));
const line = (row) => `| ${row.map((cell, c) => String(cell).padEnd(widths[c])).join(' | ')} |`;
console.log(`\nUpload benchmark: local workspace (Azurite blob), median of ${runs} runs, load average after ${loadavg()[0].toFixed(2)}\n`);
console.log(line(table[0]));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of table.slice(1)) console.log(line(row));

const find = (id, tool) => rows.find((r) => r.workload.id === id && r.tool === tool && r.workload.label.startsWith(`(${id})`) && !r.firstMs);
const verdicts = [];
const check = (what, ok, detail) => verdicts.push(`${ok === undefined ? '–' : ok ? '✓' : '✗'} ${what}: ${detail}`);
const engineA = find('a', 'engine');
if (engineA) {
  for (const [peer, factor] of [['az', 3], ['azcopy', 2]]) {
    const p = find('a', peer);
    check(`(a) files/s ≥ ${factor}× ${names[peer]}`, p ? engineA.filesPerSecond >= factor * p.filesPerSecond : undefined,
      p ? `${engineA.filesPerSecond.toFixed(0)} vs ${factor} × ${p.filesPerSecond.toFixed(0)} = ${(factor * p.filesPerSecond).toFixed(0)}` : 'not measured');
  }
  const rawA = find('a', 'raw');
  check('(a) files/s ≥ 70% of the raw limit', rawA ? engineA.filesPerSecond >= 0.7 * rawA.filesPerSecond : undefined,
    rawA ? `${engineA.filesPerSecond.toFixed(0)} vs 0.7 × ${rawA.filesPerSecond.toFixed(0)} = ${(0.7 * rawA.filesPerSecond).toFixed(0)} (${((engineA.filesPerSecond / rawA.filesPerSecond) * 100).toFixed(0)}%)` : 'not measured');
}
const engineC = find('c', 'engine');
if (engineC) {
  const rawC = find('c', 'raw');
  check('(c) MB/s ≥ 80% of the raw limit', rawC ? engineC.mbPerSecond >= 0.8 * rawC.mbPerSecond : undefined,
    rawC ? `${engineC.mbPerSecond.toFixed(1)} vs 0.8 × ${rawC.mbPerSecond.toFixed(1)} = ${(0.8 * rawC.mbPerSecond).toFixed(1)} (${((engineC.mbPerSecond / rawC.mbPerSecond) * 100).toFixed(0)}%)` : 'not measured');
  check('(c) peak RSS < 200 MB', engineC.rss < 200 * 1e6 / MiB, `${engineC.rss.toFixed(0)} MiB (${(engineC.rss * MiB / 1e6).toFixed(0)} MB)`);
}
const reupload = rows.find((r) => r.firstMs);
if (reupload) check('(a) unchanged re-upload < 10% of its first upload', reupload.ms < 0.1 * reupload.firstMs, `${(reupload.ms / 1000).toFixed(2)} s vs ${(reupload.firstMs / 1000).toFixed(2)} s (${((reupload.ms / reupload.firstMs) * 100).toFixed(1)}%)`);
if (verdicts.length) console.log(`\nTargets:\n${verdicts.join('\n')}`);
