// One measured upload, in its own process so its peak memory is its own. upload.mjs bundles this
// file with esbuild (like dist/cli.js) and runs the bundle, so nothing but the upload is measured.
// argv[2]: JSON { mode: 'engine'|'naive'|'raw', dataDir, datastore, folder, prefix, policy?, concurrency?, rawFiles?, rawSize?, tuning?, blobEndpoint?, liveHeap? }
// blobEndpoint: where storage requests go instead of the local workspace's own (the delaying proxy).
// liveHeap (with node --expose-gc): also measure the live heap, in a run of its own (the forced collections cost time).
// Prints one JSON line: { ms, files, bytes, maxRssMiB, cpuS, failed, liveHeapMiB? } (cpuS: user + system CPU of the whole process).
const { readdirSync, readFileSync, statSync } = require('node:fs');
const path = require('node:path');
const { readDiscoveryFile } = require('../../src/local/discovery.ts');
const { connectLocalWorkspace } = require('../../src/azure/localWorkspace.ts');
const { openDatastoreForTransfer } = require('../../src/core/transfer/openDatastore.ts');
const { uploadToDatastore } = require('../../src/core/transfer/uploadFolder.ts');

const job = JSON.parse(process.argv[2]);

async function storageOf() {
  const connection = await readDiscoveryFile(job.dataDir);
  const { workspaceClient } = connectLocalWorkspace(job.blobEndpoint ? { ...connection, blobEndpoint: job.blobEndpoint } : connection);
  return openDatastoreForTransfer(workspaceClient, await workspaceClient.datastores.get(job.datastore), undefined);
}

function filesOf(folder) {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(folder, name))
    .filter((file) => statSync(file).isFile());
}

/** Our engine, as the extension and `azml upload` run it. */
async function engine(storage) {
  const started = performance.now();
  const result = await uploadToDatastore(
    { storage, localRoot: job.folder, targetPath: job.prefix, policy: job.policy ?? 'skipUnchanged' },
    job.tuning ? { tuning: job.tuning } : {});
  return { ms: performance.now() - started, files: result.transferred.files + result.skipped.unchanged, bytes: result.transferred.bytes, failed: result.failed.length + (result.fatal ? 1 : 0),
    reasons: [...result.failed.slice(0, 3).map((f) => `${f.path}: ${f.reason}`), ...(result.fatal ? [result.fatal.message] : [])] };
}

/** What a first script would do: one file after the other with the SDK's uploadFile. */
async function naive(storage) {
  const files = filesOf(job.folder);
  const started = performance.now();
  let bytes = 0;
  for (const file of files) {
    const name = `${job.prefix}/${path.relative(job.folder, file).split(path.sep).join('/')}`;
    await storage.container.getBlockBlobClient(name).uploadFile(file);
    bytes += statSync(file).size;
  }
  return { ms: performance.now() - started, files: files.length, bytes, failed: 0 };
}

/**
 * The ceiling: parallel PUTs of buffers already in memory (no disk, no hashing), through the
 * same SDK and HTTP stack. Small files: Put Blob each; one large file: 8 MiB blocks, then commit.
 */
async function raw(storage) {
  const concurrency = job.concurrency;
  if (job.rawFiles === 1) {
    const blockSize = 8 * 1024 * 1024;
    const block = Buffer.alloc(blockSize, 7);
    const blob = storage.container.getBlockBlobClient(`${job.prefix}/raw.bin`);
    const count = Math.ceil(job.rawSize / blockSize);
    const ids = Array.from({ length: count }, (_, i) => Buffer.from(`block-${String(i).padStart(6, '0')}`).toString('base64'));
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const length = Math.min(blockSize, job.rawSize - i * blockSize);
        await blob.stageBlock(ids[i], block.subarray(0, length), length);
      }
    }));
    await blob.commitBlockList(ids);
    return { ms: performance.now() - started, files: 1, bytes: job.rawSize, failed: 0 };
  }
  const body = Buffer.alloc(job.rawSize, 7);
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < job.rawFiles) {
      const i = next++;
      await storage.container.getBlockBlobClient(`${job.prefix}/${i}.bin`).upload(body, body.length);
    }
  }));
  return { ms: performance.now() - started, files: job.rawFiles, bytes: job.rawFiles * job.rawSize, failed: 0 };
}

/**
 * Peak resident memory of this process. On Linux from VmHWM: getrusage's maxRSS survives exec,
 * so it would report the parent's size at fork time (the bench process) when that was larger.
 */
function peakRssMiB() {
  try {
    const kib = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (kib) return Number(kib[1]) / 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * The most heap a full collection could not free, sampled every half second: what the upload
 * really holds, where peak RSS also counts garbage V8 has not yet collected (its young generation
 * alone may grow to 3 × --max-semi-space-size, 192 MiB on Node 24). Returns the stop function.
 */
function sampleLiveHeap() {
  if (!job.liveHeap || typeof global.gc !== 'function') return () => undefined;
  let most = 0;
  const sample = () => {
    global.gc();
    most = Math.max(most, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 500);
  return () => {
    clearInterval(timer);
    return most / (1024 * 1024);
  };
}

(async () => {
  const storage = await storageOf();
  const stopSampling = sampleLiveHeap();
  const measured = await ({ engine, naive, raw })[job.mode](storage);
  const liveHeapMiB = stopSampling();
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ ...measured, maxRssMiB: peakRssMiB(), cpuS: (cpu.user + cpu.system) / 1e6, ...(liveHeapMiB === undefined ? {} : { liveHeapMiB }) })}\n`);
})().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
