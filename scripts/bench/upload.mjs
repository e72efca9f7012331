// `npm run bench:upload`: upload throughput of our engine against az CLI, AzCopy, a naive SDK loop
// and the raw limit (parallel PUTs of in-memory buffers, at the concurrency with the best median), on
// the local workspace (Azurite blob).
// Not a test: it prints a table of medians and whether the targets of issues 4 and 14 are met.
//
//   node scripts/bench/upload.mjs [--runs N] [--only a,b,c,reupload] [--tools engine,cli,az,azcopy,naive,raw]
//                                 [--raw-concurrency 16,32,64] [--engine-tuning '{"maxConcurrency":64}']
//                                 [--rtt <ms>] [--bandwidth <Mbit/s>] [--files-a N] [--files-b N] [--cpu-prof DIR]
//                                 [--worker-node-flags '--max-semi-space-size=8'] [--worker-node /usr/bin/node] [--live-heap]
//
// --rtt / --bandwidth put the storage endpoint at a distance: every tool reaches Azurite only
// through one delaying proxy (scripts/bench/delayProxy.mjs, its model described there), given to
// each tool as its blob endpoint. --files-a / --files-b scale the small-file workloads down (the
// naive loop pays a round trip per file).
//
// Everything runs on 127.0.0.1. Peers that are not installed are skipped with a line saying so:
// az from Debian (`apt-get install -y azure-cli`); AzCopy is installed on first use into
// .vscode-test/peers from npm (@azure-tools/azcopy-linux, scripts/peers/azcopy.mjs), outside the project's dependencies.
import { spawnSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
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
const rttMs = option('rtt', undefined) === undefined ? undefined : Number(option('rtt', '0'));
const bandwidthMbit = Number(option('bandwidth', '0'));
const atDistance = rttMs !== undefined || bandwidthMbit > 0;
const filesA = Number(option('files-a', '5000'));
const filesB = Number(option('files-b', '200'));
/** --cpu-prof DIR: every engine/naive/raw worker writes a V8 CPU profile there (open it in Chrome's DevTools or VS Code). */
const cpuProfileDir = option('cpu-prof', undefined);
/** --worker-node-flags '--max-semi-space-size=8': V8 flags for the engine, naive and raw workers (how Node's heap sizing shows in their peak memory). */
const workerNodeFlags = option('worker-node-flags', '').split(/\s+/).filter(Boolean);
/** --worker-node <path>: another Node for the engine, naive and raw workers (its V8 sizes the heap its own way). */
const workerNode = option('worker-node', process.execPath);
/** --live-heap: one more run of the engine, naive and raw workers, measuring the heap a full collection cannot free. */
const liveHeap = args.includes('--live-heap');

const benchDir = path.join(root, '.vscode-test', 'bench');
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
  return { ready, cpuS: () => processTreeCpuS(child.pid), stop: () => new Promise((resolve) => { child.once('exit', resolve); process.kill(-child.pid, 'SIGTERM'); }) };
}

/**
 * CPU seconds (user + system, all threads) used so far by a process and its descendants (the
 * local workspace and the Azurite it starts in a process group of its own), from /proc;
 * undefined elsewhere.
 */
function processTreeCpuS(rootPid) {
  try {
    const stats = new Map();
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // After the name: state, ppid, … utime and stime are fields 14 and 15 (11 and 12 here), in clock ticks (100 a second).
        const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
        stats.set(Number(pid), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
      } catch {
        // Gone meanwhile.
      }
    }
    const inTree = (pid) => pid === rootPid || (stats.has(pid) && pid > 1 && inTree(stats.get(pid).ppid));
    let ticks = 0;
    for (const [pid, { ticks: own }] of stats) if (inTree(pid)) ticks += own;
    return ticks / 100;
  } catch {
    return undefined;
  }
}

/** Registers a blob datastore (the data folder's account key) for a container of the local workspace. */
async function registerDatastore(ready, dataDir, name, container) {
  const { token } = JSON.parse(readFileSync(path.join(dataDir, 'local-workspace.json'), 'utf8'));
  const url = `${ready.armEndpoint}/subscriptions/${ready.subscriptionId}/resourceGroups/${ready.resourceGroup}`
    + `/providers/Microsoft.MachineLearningServices/workspaces/${ready.workspace}/datastores/${name}?api-version=2024-10-01`;
  const response = await fetch(url, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ properties: {
      datastoreType: 'AzureBlob', accountName: 'devstoreaccount1', containerName: container, endpoint: 'local', protocol: 'http',
      credentials: { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey', key: storageKey } },
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
  const profile = cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(cpuProfileDir), '--cpu-prof-name', `${job.mode}-${job.prefix}-${Date.now()}.cpuprofile`] : [];
  const gc = job.liveHeap ? ['--expose-gc'] : [];
  const result = spawnSync(workerNode, [...workerNodeFlags, ...gc, ...profile, workerPath, JSON.stringify({ ...job, blobEndpoint })], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (process.env.AZML_BENCH_WORKER_STDERR && result.stderr) log(result.stderr.trim());
  if (result.status !== 0) throw new Error(`worker ${job.mode} failed: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

/**
 * Wall time of a command, and the CPU time (user + system) it and its children used: run by sh,
 * whose `times` prints its children's CPU last (the shell's own start-up is in the wall time only).
 */
function timed(command, commandArgs, env) {
  const started = performance.now();
  const result = spawnSync('sh', ['-c', '"$0" "$@"; status=$?; times >&2; exit $status', command, ...commandArgs],
    { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  const ms = performance.now() - started;
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${path.basename(command)} failed (${result.status}): ${(result.stderr || result.stdout).trim().split('\n').slice(-5, -2).join(' | ')}`);
  const children = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s\s*$/.exec(result.stderr.trim());
  const cpuS = children ? Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4]) : undefined;
  return { ms, cpuS };
}

async function containerSas(container) {
  const { ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } = await import('@azure/storage-blob');
  return generateBlobSASQueryParameters({
    containerName: container, permissions: ContainerSASPermissions.parse('racwdl'), expiresOn: new Date(Date.now() + 6 * 3600_000),
  }, new StorageSharedKeyCredential('devstoreaccount1', storageKey)).toString();
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
  const client = new ContainerClient(`${ready.blobEndpoint}/${container}`, new StorageSharedKeyCredential('devstoreaccount1', storageKey));
  await client.create();
  await registerDatastore(ready, dataDir, `bench${id}`, container);
  return { container, datastore: `bench${id}`, sas: await containerSas(container), dispose: () => client.delete() };
}

// ---- main -----------------------------------------------------------------------------------

const work = mkdtempSync(path.join(tmpdir(), 'azml-bench-'));
const dataDir = path.join(work, 'local-data');
const filesRoot = path.join(tmpdir(), 'azml-bench-files');
log(`Load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (2 shared cores; other work makes numbers noisy)`);
if (workerNodeFlags.length) log(`Engine, naive and raw workers run with the Node flags: ${workerNodeFlags.join(' ')}`);
if (workerNode !== process.execPath) log(`Engine, naive and raw workers run on ${workerNode} (${spawnSync(workerNode, ['--version'], { encoding: 'utf8' }).stdout.trim()}); the rest on Node ${process.version}`);
const workerPath = buildWorker();
const local = await startLocalWorkspace(dataDir);
const { ready } = local;
/** The storage key the local workspace made for its data folder (src/local/storageKeyFile.ts); it takes no other. */
const storageKey = readFileSync(path.join(dataDir, 'storage-account.key'), 'utf8').trim();
const distance = atDistance ? await startDistance(ready, dataDir) : undefined;
/** The blob endpoint every tool is given: the proxy's when at a distance. */
const blobEndpoint = distance?.blobEndpoint ?? ready.blobEndpoint;
/** What `azml upload --local --data` reads: the local workspace as seen through the proxy. */
const cliDataDir = distance?.cliDataDir ?? dataDir;
const connectionString = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${storageKey};BlobEndpoint=${blobEndpoint};`;
if (distance) await showProxyAccuracy(ready.blobEndpoint, blobEndpoint);

const az = tools.has('az') ? which('az') : undefined;
if (tools.has('az') && !az) log('az CLI: not installed, skipped (apt-get install -y azure-cli)');
const azcopy = tools.has('azcopy') ? azcopyBinary({ log }) : undefined;
if (tools.has('azcopy') && !azcopy) log(`AzCopy: could not be installed from npm (@azure-tools/azcopy-linux@${azcopyVersion}), skipped`);
const azConfigDir = mkdtempSync(path.join(work, 'az-'));
const azcopyDirs = { AZCOPY_LOG_LOCATION: mkdtempSync(path.join(work, 'azcopy-log-')), AZCOPY_JOB_PLAN_LOCATION: mkdtempSync(path.join(work, 'azcopy-plan-')) };

/**
 * The delaying proxy in front of Azurite's blob endpoint, in a process of its own (the tools are
 * run with spawnSync, which would stop this process's event loop), and a data folder whose
 * discovery file names the proxy as the blob endpoint, for the CLI.
 */
async function startDistance(ready, dataDir) {
  const upstream = new URL(ready.blobEndpoint);
  const child = spawn(node, [path.join(root, 'scripts', 'bench', 'delayProxy.mjs'), '--upstream', `${upstream.hostname}:${upstream.port}`,
    '--rtt', String(rttMs ?? 0), '--bandwidth', String(bandwidthMbit)], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const { port } = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))));
    });
    child.once('exit', (code) => reject(new Error(`the delaying proxy exited (${code})`)));
  });
  const proxied = `http://127.0.0.1:${port}${upstream.pathname.replace(/\/+$/, '')}`;
  const cliData = path.join(work, 'cli-data');
  mkdirSync(cliData, { recursive: true });
  const discovery = JSON.parse(readFileSync(path.join(dataDir, 'local-workspace.json'), 'utf8'));
  writeFileSync(path.join(cliData, 'local-workspace.json'), JSON.stringify({ ...discovery, blobEndpoint: proxied }), { mode: 0o600 });
  log(`Storage at a distance: round trip +${rttMs ?? 0} ms${bandwidthMbit ? `, ${bandwidthMbit} Mbit/s each way` : ''}, through the proxy at ${proxied}`);
  return {
    blobEndpoint: proxied, cliDataDir: cliData, cpuS: () => processTreeCpuS(child.pid),
    stop: () => new Promise((resolve) => {
      child.once('exit', resolve);
      process.kill(-child.pid, 'SIGTERM');
    }),
  };
}

/** One small request (Get Container Properties of a missing container: 404) timed direct and through the proxy. */
async function showProxyAccuracy(direct, proxied) {
  const { Agent, request } = await import('node:http');
  const time = async (endpoint, agent) => {
    const started = performance.now();
    await new Promise((resolve, reject) => {
      request(`${endpoint}/no-such-container?restype=container`, { agent }, (answer) => answer.resume().on('end', resolve)).on('error', reject).end();
    });
    return performance.now() - started;
  };
  for (const [name, endpoint] of [['direct', direct], ['through the proxy', proxied]]) {
    const agent = new Agent({ keepAlive: true });
    const first = await time(endpoint, agent);
    const again = [];
    for (let i = 0; i < 5; i++) again.push(await time(endpoint, agent));
    agent.destroy();
    log(`One small request ${name}: ${first.toFixed(1)} ms on a new connection, ${median(again).toFixed(1)} ms on a kept-alive one (median of 5)`);
  }
}

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

/** The live heap of one more run of a worker tool (MiB), in a fresh container of its own. */
async function liveHeapOf(jobFor, concurrency) {
  const target = { ...(await freshTarget(ready, dataDir)), concurrency };
  try {
    return worker(workerPath, { ...jobFor(target), liveHeap: true }).liveHeapMiB;
  } finally {
    await target.dispose();
  }
}

const workloads = [
  // rawConcurrencies: requests in parallel tried for the raw limit (whole files, or 8 MiB blocks for (c)).
  { id: 'a', label: `(a) ${filesA.toLocaleString('en')} × 4 KiB`, count: filesA, size: 4 * KiB, rawConcurrencies: atDistance ? [64, 128, 256] : [16, 32, 64] },
  { id: 'b', label: `(b) ${filesB.toLocaleString('en')} × 1 MiB`, count: filesB, size: MiB, rawConcurrencies: atDistance ? [32, 64, 128] : [16, 32, 64] },
  { id: 'c', label: '(c) 1 × 512 MiB', count: 1, size: 512 * MiB, rawConcurrencies: atDistance ? [8, 16, 32] : [4, 8, 16] },
].filter((w) => only.has(w.id) || (w.id === 'a' && only.has('reupload')));

const rows = [];
try {
  let warm = false;
  for (const w of workloads) {
    const folder = path.join(filesRoot, w.count === { a: 5000, b: 200 }[w.id] || w.id === 'c' ? w.id : `${w.id}-${w.count}`);
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
    const workerJobs = {
      engine: (t) => ({ mode: 'engine', dataDir, datastore: t.datastore, folder, prefix: 'data', ...(engineTuning ? { tuning: engineTuning } : {}) }),
      naive: (t) => ({ mode: 'naive', dataDir, datastore: t.datastore, folder, prefix: 'data' }),
      raw: (t) => ({ mode: 'raw', dataDir, datastore: t.datastore, prefix: 'data', concurrency: t.concurrency, rawFiles: w.count, rawSize: w.size }),
    };
    const toolRuns = {
      engine: (t) => {
        const measured = worker(workerPath, workerJobs.engine(t));
        if (measured.failed) throw new Error(`${measured.failed} files failed (${measured.reasons.join('; ')})`);
        return { ms: measured.ms, rss: measured.maxRssMiB, cpuS: measured.cpuS };
      },
      cli: (t) => timed(node, [path.join(root, 'dist', 'cli.js'), 'upload', folder, '--datastore', t.datastore, '--target', 'data', '--local', '--data', cliDataDir, '--json']),
      az: az && ((t) => timed(az, ['storage', 'blob', 'upload-batch', '-d', t.container, '--destination-path', 'data', '-s', folder,
          '--connection-string', connectionString, '--max-connections', '16', '-o', 'none'],
        { AZURE_CONFIG_DIR: azConfigDir, AZURE_CORE_COLLECT_TELEMETRY: 'no', AZURE_CORE_ONLY_SHOW_ERRORS: 'true' })),
      azcopy: azcopy && ((t) => timed(azcopy, ['copy', `${folder}/*`, `${blobEndpoint}/${t.container}/data?${t.sas}`, '--from-to', 'LocalBlob',
          '--recursive', '--log-level', 'ERROR', '--output-level', 'quiet', '--skip-version-check'], azcopyDirs)),
      naive: (t) => {
        const measured = worker(workerPath, workerJobs.naive(t));
        return { ms: measured.ms, rss: measured.maxRssMiB, cpuS: measured.cpuS };
      },
      raw: (t) => {
        const measured = worker(workerPath, workerJobs.raw(t));
        return { ms: measured.ms, rss: measured.maxRssMiB, cpuS: measured.cpuS };
      },
    };
    const wanted = (only.has(w.id) ? Object.keys(toolRuns).filter((t) => tools.has(t)) : []).filter((t) => toolRuns[t]);
    const measuredRuns = Object.fromEntries(wanted.map((t) => [t, { runs: {}, failure: undefined }]));
    // Round robin (every tool's first run, then every tool's second…), so drift in the machine's
    // load or in Azurite's warm-up does not favour whichever tool comes first.
    for (let i = 0; i < runs; i++) {
      for (const tool of wanted) {
        const record = measuredRuns[tool];
        if (record.failure) continue;
        try {
          // The raw limit: a few concurrencies each run; the row is the one with the best median (below).
          for (const concurrency of tool === 'raw' ? rawConcurrencies : [undefined]) {
            const target = { ...(await freshTarget(ready, dataDir)), concurrency };
            try {
              const serviceBefore = local.cpuS();
              const proxyBefore = distance?.cpuS();
              const measured = toolRuns[tool](target);
              const serviceAfter = local.cpuS();
              const proxyAfter = distance?.cpuS();
              if (serviceBefore !== undefined && serviceAfter !== undefined) measured.serviceCpuS = serviceAfter - serviceBefore;
              if (proxyBefore !== undefined && proxyAfter !== undefined) measured.proxyCpuS = proxyAfter - proxyBefore;
              (record.runs[concurrency ?? 0] ??= []).push(measured);
              log(`${w.label} ${tool} run ${i + 1}: ${(measured.ms / 1000).toFixed(2)} s${measured.cpuS !== undefined ? `, CPU ${measured.cpuS.toFixed(2)} s` : ''}${measured.serviceCpuS !== undefined ? ` (service ${measured.serviceCpuS.toFixed(2)} s${measured.proxyCpuS !== undefined ? `, delaying proxy ${measured.proxyCpuS.toFixed(2)} s` : ''})` : ''}${measured.rss ? `, peak RSS ${measured.rss.toFixed(0)} MiB` : ''}${concurrency ? ` (${concurrency} in parallel)` : ''}`);
            } finally {
              await target.dispose();
            }
          }
        } catch (error) {
          record.failure = error;
          log(`${w.label} ${tool}: ${error.message}`);
        }
      }
    }
    for (const tool of wanted) {
      const record = measuredRuns[tool];
      // Per concurrency (0: a tool that has none), its runs' median.
      const medians = Object.entries(record.runs).map(([concurrency, measured]) => ({ concurrency, measured, ms: median(measured.map((m) => m.ms)) }));
      if (record.failure || medians.length === 0) continue;
      // The raw limit is the concurrency with the best median, not each run's fastest: the fastest of
      // three samples would also be the luckiest, a bias the tools measured once per run do not get.
      const best = medians.reduce((a, b) => (b.ms < a.ms ? b : a));
      const of = (key) => best.measured.map((m) => m[key]).filter((value) => value !== undefined);
      const ms = best.ms;
      const live = liveHeap && workerJobs[tool] ? await liveHeapOf(workerJobs[tool], Number(best.concurrency) || undefined) : undefined;
      if (live !== undefined) log(`${w.label} ${tool} live heap: ${live.toFixed(0)} MiB`);
      rows.push({
        live,
        workload: w, tool, ms, filesPerSecond: w.count / (ms / 1000), mbPerSecond: bytes / MiB / (ms / 1000),
        rss: of('rss').length ? Math.max(...of('rss')) : undefined,
        cpuS: of('cpuS').length ? median(of('cpuS')) : undefined,
        serviceCpuS: of('serviceCpuS').length ? median(of('serviceCpuS')) : undefined,
        note: tool === 'raw' ? `best median of ${rawConcurrencies.join('/')} in parallel: ${medians.map((m) => `${m.concurrency}: ${(m.ms / 1000).toFixed(2)} s`).join(', ')}` : '',
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
  await distance?.stop();
  await local.stop();
  rmSync(work, { recursive: true, force: true });
}

// ---- report ---------------------------------------------------------------------------------

const names = {
  engine: 'azml engine (in-process)', cli: 'azml upload (CLI, wall time)', az: 'az storage blob upload-batch', azcopy: `AzCopy ${azcopyVersion}`,
  naive: 'naive loop (SDK uploadFile, one at a time)', raw: 'raw limit (parallel PUTs of buffers)',
};
const table = [
  ['workload', 'tool', 'median s', 'files/s', 'MB/s', 'CPU s', 'service CPU s', 'peak RSS', ...(liveHeap ? ['live heap'] : []), 'note'],
  ...rows.map((r) => [r.workload.label, names[r.tool] ?? r.tool, (r.ms / 1000).toFixed(2), r.workload.count > 1 ? r.filesPerSecond.toFixed(0) : '',
    r.mbPerSecond === undefined ? '' : r.mbPerSecond.toFixed(1), r.cpuS === undefined ? '' : r.cpuS.toFixed(2),
    r.serviceCpuS === undefined ? '' : r.serviceCpuS.toFixed(2), r.rss ? `${r.rss.toFixed(0)} MiB` : '',
    ...(liveHeap ? [r.live === undefined ? '' : `${r.live.toFixed(0)} MiB`] : []), r.note]),
];
const widths = table[0].map((_, c) => Math.max(...table.map((row) => String(row[c]).length)));
const line = (row) => `| ${row.map((cell, c) => String(cell).padEnd(widths[c])).join(' | ')} |`;
const where = atDistance ? `at a distance (round trip +${rttMs ?? 0} ms${bandwidthMbit ? `, ${bandwidthMbit} Mbit/s` : ''}, through the delaying proxy)` : 'on loopback';
console.log(`\nUpload benchmark: local workspace (Azurite blob) ${where}, median of ${runs} runs, load average after ${loadavg()[0].toFixed(2)}\n`);
console.log(line(table[0]));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of table.slice(1)) console.log(line(row));

const find = (id, tool) => rows.find((r) => r.workload.id === id && r.tool === tool && r.workload.label.startsWith(`(${id})`) && !r.firstMs);
const verdicts = [];
const check = (what, ok, detail) => verdicts.push(`${ok === undefined ? '–' : ok ? '✓' : '✗'} ${what}: ${detail}`);
const engineA = find('a', 'engine');
if (engineA) {
  // Issue 4 on loopback; issue 14 at a distance (where AzCopy's concurrency tuning is built to win).
  for (const [peer, factor] of [['az', 3], ['azcopy', atDistance ? 1.5 : 2]]) {
    const p = find('a', peer);
    check(`(a) files/s ≥ ${factor}× ${names[peer]}`, p ? engineA.filesPerSecond >= factor * p.filesPerSecond : undefined,
      p ? `${engineA.filesPerSecond.toFixed(0)} vs ${factor} × ${p.filesPerSecond.toFixed(0)} = ${(factor * p.filesPerSecond).toFixed(0)}` : 'not measured');
  }
  const rawA = find('a', 'raw');
  if (!atDistance) {
    check('(a) files/s ≥ 70% of the raw limit', rawA ? engineA.filesPerSecond >= 0.7 * rawA.filesPerSecond : undefined,
      rawA ? `${engineA.filesPerSecond.toFixed(0)} vs 0.7 × ${rawA.filesPerSecond.toFixed(0)} = ${(0.7 * rawA.filesPerSecond).toFixed(0)} (${((engineA.filesPerSecond / rawA.filesPerSecond) * 100).toFixed(0)}%)` : 'not measured');
  }
}
for (const id of ['a', 'b', 'c']) {
  const ours = find(id, 'engine');
  if (!ours) continue;
  const peers = ['az', 'azcopy', 'naive'].map((tool) => find(id, tool)).filter(Boolean);
  if (peers.length === 0) continue;
  const best = peers.reduce((a, b) => (a.ms < b.ms ? a : b));
  check(`(${id}) the engine ahead of every peer`, ours.ms < best.ms, `${(ours.ms / 1000).toFixed(2)} s vs the best peer (${names[best.tool]}) ${(best.ms / 1000).toFixed(2)} s`);
}
const engineC = find('c', 'engine');
if (engineC) {
  const rawC = find('c', 'raw');
  check('(c) MB/s ≥ 95% of the raw limit', rawC ? engineC.mbPerSecond >= 0.95 * rawC.mbPerSecond : undefined,
    rawC ? `${engineC.mbPerSecond.toFixed(1)} vs 0.95 × ${rawC.mbPerSecond.toFixed(1)} = ${(0.95 * rawC.mbPerSecond).toFixed(1)} (${((engineC.mbPerSecond / rawC.mbPerSecond) * 100).toFixed(0)}%)` : 'not measured');
  if (bandwidthMbit > 0) {
    const capMBps = (bandwidthMbit * 1e6) / 8 / MiB;
    check(`(c) MB/s ≥ 90% of the ${bandwidthMbit} Mbit/s cap`, engineC.mbPerSecond >= 0.9 * capMBps,
      `${engineC.mbPerSecond.toFixed(1)} vs 0.9 × ${capMBps.toFixed(1)} = ${(0.9 * capMBps).toFixed(1)} MiB/s (${((engineC.mbPerSecond / capMBps) * 100).toFixed(0)}%)`);
  }
}
for (const row of rows.filter((r) => r.tool === 'engine' && r.rss)) {
  check(`(${row.workload.id}) engine peak RSS < 200 MB`, row.rss < 200 * 1e6 / MiB, `${row.rss.toFixed(0)} MiB (${(row.rss * MiB / 1e6).toFixed(0)} MB)`);
}
for (const row of rows.filter((r) => r.tool === 'engine' && r.live !== undefined)) {
  // Not a target: what peak RSS would be without garbage V8 has not collected yet.
  check(`(${row.workload.id}) engine live heap (after a full collection, at its most)`, undefined, `${row.live.toFixed(0)} MiB`);
}
const reupload = rows.find((r) => r.firstMs);
if (reupload) check('(a) unchanged re-upload < 10% of its first upload', reupload.ms < 0.1 * reupload.firstMs, `${(reupload.ms / 1000).toFixed(2)} s vs ${(reupload.firstMs / 1000).toFixed(2)} s (${((reupload.ms / reupload.firstMs) * 100).toFixed(1)}%)`);
if (verdicts.length) console.log(`\nTargets:\n${verdicts.join('\n')}`);
