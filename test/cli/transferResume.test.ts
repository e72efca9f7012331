import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { ShareClient, StorageSharedKeyCredential as FileSharedKeyCredential } from '@azure/storage-file-share';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import type { TransferResult } from '../../src/core/transfer/types';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { writeDiscoveryFile } from '../../src/local/discovery';
import { startFaultyWorkspace, type FaultyWorkspace } from '../faults/faultyWorkspace';
import { runNodeAsync, type CliResult } from '../support/azmlCli';
import { ensureBuilt, repoRoot } from '../support/repo';
import { localStorageKey } from '../support/storageKey';

interface PendingRow { plan: { id: string; direction: string }; filesDone: number; filesTotal?: number }

/**
 * Transfers killed (SIGKILL, as a crash or a closed window) partway, then resumed with --resume.
 * The CLI reaches the local workspace through a pass-through proxy that counts the storage
 * requests; the kill happens when the proxy has seen a given request, not after a time.
 */
describe('azml upload/download --resume after the CLI was killed midway', function () {
  this.timeout(600_000);
  let workspace: FaultyWorkspace;
  let work: string;
  /** A data folder whose discovery file points the CLI at the proxies. */
  let proxiedData: string;
  let stateHome: string;
  let blob: ContainerClient;
  /** Storage requests the proxies saw, as `<service> <METHOD> <path>?<query> <range>`. */
  let seen: string[] = [];
  let onRequest: ((key: string) => void) | undefined;
  /** Requests the proxies hold unanswered (a slow link), so a kill finds some of a file done and some not. */
  let stallWhen: ((key: string) => boolean) | undefined;
  let share: ShareClient;

  const cliArgs = (args: string[]): string[] => [path.join(repoRoot, 'dist', 'cli.js'), ...args, '--local', '--data', proxiedData];
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, XDG_STATE_HOME: stateHome });

  /** For commands that reach no storage (the proxies live in this process, which spawnSync blocks). */
  const azml = (args: string[]): CliResult => {
    const result = spawnSync(process.execPath, cliArgs(args), { encoding: 'utf8', timeout: 300_000, env: env() });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  /** Runs the CLI until `killWhen` is true of a request the proxy sees, then kills it (SIGKILL). */
  const azmlKilled = async (args: string[], killWhen: (key: string) => boolean): Promise<void> => {
    const child: ChildProcess = spawn(process.execPath, cliArgs(args), { stdio: 'ignore', env: env() });
    const exited = once(child, 'exit');
    let killed = false;
    onRequest = (key) => {
      if (!killed && killWhen(key)) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    const [code, signal] = await exited as [number | null, string | null];
    onRequest = undefined;
    assert.equal(signal, 'SIGKILL', `the CLI ended by itself (exit ${code}) before it was killed`);
    await untilQuiet();
  };

  /**
   * Requests the killed CLI had already written still reach the service after it exited (the
   * kernel delivers what was sent): wait until none arrives for half a second, so a loaded
   * machine's late ones are not counted as the resume's.
   */
  const untilQuiet = async (): Promise<void> => {
    for (let count = -1; count !== seen.length;) {
      count = seen.length;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };

  const azmlAsync = (args: string[]): Promise<CliResult> => runNodeAsync(cliArgs(args), env());

  const pending = (): PendingRow[] => {
    const list = azml(['transfers', '--json']);
    assert.equal(list.status, 0, list.stderr);
    return JSON.parse(list.stdout) as PendingRow[];
  };

  /** The files a journal records as done (read as the CLI would on resume). */
  const journaledDone = (id: string): Set<string> => {
    const text = readFileSync(path.join(stateHome, 'azml', 'transfers', id, 'done.jsonl'), 'utf8');
    const names = new Set<string>();
    for (const line of text.split('\n')) {
      try {
        const record = JSON.parse(line) as { p?: string };
        if (record.p) names.add(record.p);
      } catch {
        // a torn last line
      }
    }
    return names;
  };

  const md5OfStream = async (stream: NodeJS.ReadableStream): Promise<string> => {
    const hash = createHash('md5');
    for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
    return hash.digest('hex');
  };

  before(async () => {
    ensureBuilt();
    workspace = await startFaultyWorkspace({ seed: 14, rate: 0 });
    const decide = workspace.schedule.decide.bind(workspace.schedule);
    workspace.schedule.decide = (key, allowed) => {
      seen.push(key);
      onRequest?.(key);
      if (stallWhen?.(key) && allowed.includes('stall')) return 'stall';
      return decide(key, allowed);
    };
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-resume-'));
    proxiedData = path.join(work, 'proxied-data');
    stateHome = path.join(work, 'state');
    mkdirSync(proxiedData);
    await writeDiscoveryFile(proxiedData, workspace.connection);
    const { workspaceClient } = connectLocalWorkspace(workspace.direct);
    const container = (await workspaceClient.datastores.get('workspaceblobstore')).containerName!;
    blob = new ContainerClient(`${workspace.direct.blobEndpoint}/${container}`, new StorageSharedKeyCredential(devStorageAccount.name, localStorageKey(workspace.local.dataDir)));
    const shareName = (await workspaceClient.datastores.get('workspacefilestore')).fileShareName!;
    share = new ShareClient(`${workspace.direct.fileEndpoint}/${shareName}`, new FileSharedKeyCredential(devStorageAccount.name, localStorageKey(workspace.local.dataDir)));
  });
  after(async () => {
    await workspace?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const fileCount = 1000;
  const smallFolder = (): string => path.join(work, 'thousand');

  it('a 1,000-file upload killed halfway resumes: files confirmed done are not sent again, every byte arrives', async () => {
    const folder = smallFolder();
    mkdirSync(folder);
    for (let i = 0; i < fileCount; i++) writeFileSync(path.join(folder, `f${String(i).padStart(4, '0')}.bin`), randomBytes(1024 + (i % 7) * 512));
    const isPut = (key: string): boolean => /^blob PUT \/[^?]*\/thousand\/f\d{4}\.bin\?/.test(key);
    // --on-exists overwrite: without the journal, every file would be sent again.
    seen = [];
    await azmlKilled(['upload', folder, '--datastore', 'workspaceblobstore', '--on-exists', 'overwrite'],
      (key) => isPut(key) && seen.filter(isPut).length >= fileCount / 2);

    const [interrupted, ...others] = pending();
    assert.equal(others.length, 0);
    assert.equal(interrupted!.plan.direction, 'upload');
    const done = journaledDone(interrupted!.plan.id);
    assert.equal(interrupted!.filesDone, done.size);
    assert.ok(done.size > 0 && done.size < fileCount, `the journal confirms some files: ${done.size}`);

    seen = [];
    const resumed = await azmlAsync(['upload', '--resume', interrupted!.plan.id, '--json']);
    assert.equal(resumed.status, 0, resumed.stderr);
    const result = JSON.parse(resumed.stdout) as TransferResult;
    const sentAgain = seen.filter(isPut).map((key) => decodeURIComponent(/\/thousand\/(f\d{4}\.bin)\?/.exec(key)![1]!));
    const filesSentAgain = new Set(sentAgain).size;
    assert.ok(filesSentAgain <= fileCount - done.size, `${filesSentAgain} files sent on resume, ${fileCount - done.size} not confirmed`);
    assert.deepEqual(sentAgain.filter((name) => done.has(name)), [], 'no file the journal confirmed was sent again');
    assert.equal(result.transferred.files + result.skipped.unchanged, fileCount);
    assert.deepEqual(pending(), [], 'the journal is gone once the upload is complete');

    const names: string[] = [];
    for await (const item of blob.listBlobsFlat({ prefix: 'thousand/' })) names.push(item.name);
    assert.equal(names.length, fileCount);
    for (const name of names) {
      const local = readFileSync(path.join(folder, name.slice('thousand/'.length)));
      const remote = await blob.getBlobClient(name).downloadToBuffer();
      assert.ok(remote.equals(local), `${name} arrived whole`);
    }
  });

  it('a download of those files killed halfway resumes: files done are not fetched again, every byte is there', async () => {
    const to = path.join(work, 'thousand-down');
    const isGet = (key: string): boolean => /^blob GET \/[^?]*\/thousand\/f\d{4}\.bin\?/.test(key);
    seen = [];
    await azmlKilled(['download', '--datastore', 'workspaceblobstore', '--path', 'thousand', '--to', to, '--on-exists', 'overwrite'],
      (key) => isGet(key) && seen.filter(isGet).length >= fileCount / 2);
    const [interrupted] = pending();
    assert.equal(interrupted!.plan.direction, 'download');
    const done = journaledDone(interrupted!.plan.id);
    assert.ok(done.size > 0 && done.size < fileCount, `the journal confirms some files: ${done.size}`);

    seen = [];
    const resumed = await azmlAsync(['download', '--resume', '--json']);
    assert.equal(resumed.status, 0, resumed.stderr);
    const fetchedAgain = seen.filter(isGet).map((key) => /\/thousand\/(f\d{4}\.bin)\?/.exec(key)![1]!);
    assert.ok(fetchedAgain.length <= fileCount - done.size, `${fetchedAgain.length} fetched on resume, ${fileCount - done.size} not confirmed`);
    assert.deepEqual(fetchedAgain.filter((name) => done.has(name)), [], 'no file the journal confirmed was fetched again');
    assert.deepEqual(pending(), []);
    assert.deepEqual(readdirSync(to).filter((name) => name.startsWith('.azml-download-')), [], 'no temporary file is left');
    for (const name of readdirSync(smallFolder())) {
      assert.ok(readFileSync(path.join(to, name)).equals(readFileSync(path.join(smallFolder(), name))), `${name} downloaded whole`);
    }
  });

  it('a 512 MiB upload killed after some blocks were staged resumes sending only the blocks not staged', async () => {
    const folder = path.join(work, 'large');
    mkdirSync(folder);
    const file = path.join(folder, 'big.bin');
    const size = 512 * 1024 * 1024;
    const chunk = randomBytes(1024 * 1024);
    const handle = await open(file, 'w');
    for (let offset = 0; offset < size; offset += chunk.length) {
      chunk.writeUInt32BE(offset / chunk.length, 0); // every MiB differs, so a block sent to the wrong place shows
      await handle.write(chunk, 0, chunk.length, offset);
    }
    await handle.close();
    const blocks = size / (8 * 1024 * 1024);
    const isPutBlock = (key: string): boolean => /^blob PUT \/[^?]*\/large\/big\.bin\?.*comp=block(&|\s|$)/.test(key);
    seen = [];
    await azmlKilled(['upload', folder, '--datastore', 'workspaceblobstore'],
      (key) => isPutBlock(key) && seen.filter(isPutBlock).length >= 24);
    const [interrupted] = pending();
    assert.equal(interrupted!.plan.direction, 'upload');
    const stagedBefore = (await blob.getBlockBlobClient('large/big.bin').getBlockList('uncommitted')).uncommittedBlocks ?? [];
    assert.ok(stagedBefore.length > 0 && stagedBefore.length < blocks, `${stagedBefore.length} blocks staged when killed`);
    const stagedIds = new Set(stagedBefore.map((b) => b.name));

    seen = [];
    const resumed = await azmlAsync(['upload', '--resume', 'latest']);
    assert.equal(resumed.status, 0, resumed.stderr);
    const sent = seen.filter(isPutBlock).map((key) => decodeURIComponent(/blockid=([^&\s]+)/.exec(key)![1]!));
    assert.ok(sent.length <= blocks - stagedBefore.length, `${sent.length} blocks sent on resume, ${blocks - stagedBefore.length} were missing`);
    assert.deepEqual(sent.filter((id) => stagedIds.has(id)), [], 'no staged block was sent again');
    assert.deepEqual(pending(), []);

    const properties = await blob.getBlobClient('large/big.bin').getProperties();
    assert.equal(properties.contentLength, size);
    const remote = await md5OfStream((await blob.getBlobClient('large/big.bin').download()).readableStreamBody!);
    assert.equal(remote, await md5OfStream(createReadStream(file)), 'every byte arrived in its place');
    rmSync(folder, { recursive: true, force: true });
    assert.ok(!existsSync(file));
  });

  it('a failed upload is kept to resume (its error stays one line); azml transfers lists it, --discard forgets it; Ctrl-C says how to resume', async () => {
    const folder = path.join(work, 'broken');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'ok.txt'), 'ok');
    symlinkSync(path.join(folder, 'missing.txt'), path.join(folder, 'gone.txt'));
    const up = await azmlAsync(['upload', folder, '--datastore', 'workspaceblobstore']);
    assert.equal(up.status, 1);
    const [kept] = pending();
    assert.equal(kept!.filesDone, 1);
    assert.equal(up.stderr.trim().split('\n').filter((line) => line.startsWith('azml:')).length, 1, up.stderr);
    const list = azml(['transfers']);
    assert.match(list.stdout, new RegExp(`${kept!.plan.id}\\s+upload\\s+broken\\s+workspaceblobstore/broken\\s+0 of 1 files`));
    const wrong = await azmlAsync(['download', '--resume', kept!.plan.id]);
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /is an upload: resume it with azml upload --resume/);
    const discard = azml(['transfers', '--discard', kept!.plan.id]);
    assert.equal(discard.status, 0, discard.stderr);
    assert.deepEqual(pending(), []);
    assert.match((await azmlAsync(['upload', '--resume'])).stderr, /There is no interrupted upload to resume\./);

    const child = spawn(process.execPath, cliArgs(['upload', smallFolder(), '--datastore', 'workspaceblobstore', '--on-exists', 'overwrite']), { env: env() });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit');
    let puts = 0;
    onRequest = (key) => {
      if (/^blob PUT /.test(key) && ++puts === 100) child.kill('SIGINT');
    };
    await exited;
    onRequest = undefined;
    const [canceled] = pending();
    assert.match(stderr, new RegExp(`^azml: to go on where it stopped: azml upload --resume ${canceled!.plan.id} \\(with the same workspace options\\)$`, 'm'));
    assert.equal(azml(['transfers', '--discard', canceled!.plan.id]).status, 0);
  });

  it('a transfer another process runs is not listed, resumed or discarded (two runs would overwrite each other); once that process is gone it resumes', async () => {
    const folder = path.join(work, 'running');
    mkdirSync(folder);
    for (let i = 0; i < 20; i++) writeFileSync(path.join(folder, `f${i}.bin`), randomBytes(2048));
    const isPut = (key: string): boolean => /^blob PUT \/[^?]*\/running\/f\d+\.bin\?/.test(key);
    // Every Put Blob held unanswered: the upload goes on running until it is killed.
    stallWhen = isPut;
    const before = new Set(journalIds());
    const child = spawn(process.execPath, cliArgs(['upload', folder, '--datastore', 'workspaceblobstore']), { stdio: 'ignore', env: env() });
    const exited = once(child, 'exit');
    try {
      let id: string | undefined;
      for (let waited = 0; waited < 60_000 && !(id && seen.some(isPut)); waited += 50) {
        id = journalIds().find((name) => !before.has(name));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(id && seen.some(isPut), 'the upload started and keeps a journal');
      const running = new RegExp(`Transfer ${id} is running now \\(process ${child.pid}\\): let it finish, or cancel it where it runs\\.`);

      assert.deepEqual(pending(), [], 'a running transfer is not listed as interrupted');
      const resumeIt = await azmlAsync(['upload', '--resume', id]);
      assert.equal(resumeIt.status, 2);
      assert.match(resumeIt.stderr, running);
      const resumeLatest = await azmlAsync(['upload', '--resume']);
      assert.equal(resumeLatest.status, 2);
      assert.match(resumeLatest.stderr, /There is no interrupted upload to resume\./);
      const discard = azml(['transfers', '--discard', id]);
      assert.equal(discard.status, 2);
      assert.match(discard.stderr, running);
      assert.ok(existsSync(path.join(stateHome, 'azml', 'transfers', id, 'plan.json')), 'its journal is still there');

      child.kill('SIGKILL');
      await exited;
      stallWhen = undefined;
      await untilQuiet();
      assert.deepEqual(pending().map((p) => p.plan.id), [id], 'killed, it is interrupted: listed to resume');
      const resumed = await azmlAsync(['upload', '--resume', id, '--json']);
      assert.equal(resumed.status, 0, resumed.stderr);
      const names: string[] = [];
      for await (const item of blob.listBlobsFlat({ prefix: 'running/' })) names.push(item.name);
      assert.equal(names.length, 20);
      assert.deepEqual(pending(), []);
    } finally {
      stallWhen = undefined;
      child.kill('SIGKILL');
    }
  });

  /** The ranges of one file a journal records as confirmed (offsets), as the CLI would read them on resume. */
  const journaledRanges = (id: string, name: string): number[] => {
    const file = path.join(stateHome, 'azml', 'transfers', id, 'done.jsonl');
    const offsets: number[] = [];
    for (const line of (existsSync(file) ? readFileSync(file, 'utf8') : '').split('\n')) {
      try {
        const record = JSON.parse(line) as { r?: string; o?: number };
        if (record.r === name && typeof record.o === 'number') offsets.push(record.o);
      } catch {
        // a torn last line
      }
    }
    return offsets;
  };

  const journalIds = (): string[] => {
    const dir = path.join(stateHome, 'azml', 'transfers');
    return existsSync(dir) ? readdirSync(dir) : [];
  };

  /**
   * Runs the CLI until its (new) journal confirms `ranges` ranges of `name`, then kills it
   * (SIGKILL); answers the journal's id. Requests the proxies stall keep the rest of the file
   * from finishing meanwhile. Gives up waiting after a minute (the assertions then say why).
   */
  const azmlKilledOnceJournaled = async (args: string[], name: string, ranges: number): Promise<string> => {
    const before = new Set(journalIds());
    const child = spawn(process.execPath, cliArgs(args), { stdio: 'ignore', env: env() });
    const exited = once(child, 'exit');
    let ended = false;
    void exited.then(() => (ended = true));
    const id = (): string | undefined => journalIds().find((name) => !before.has(name));
    for (let waited = 0; !ended && waited < 60_000; waited += 50) {
      const current = id();
      if (current && journaledRanges(current, name).length >= ranges) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    const [code, signal] = await exited as [number | null, string | null];
    assert.equal(signal, 'SIGKILL', `the CLI ended by itself (exit ${code}) before it was killed`);
    return id()!;
  };

  const rangeStart = (key: string): number => Number(/bytes=(\d+)-/.exec(key)?.[1] ?? 0);

  /** A file whose every MiB differs, so a range put in the wrong place shows. */
  const writeLargeFile = async (file: string, size: number, seed: number): Promise<void> => {
    const chunk = randomBytes(1024 * 1024);
    const handle = await open(file, 'w');
    for (let offset = 0; offset < size; offset += chunk.length) {
      chunk.writeUInt32BE(offset / chunk.length, 0);
      chunk.writeUInt32BE(seed, 4);
      await handle.write(chunk, 0, chunk.length, offset);
    }
    await handle.close();
  };

  const shareFolderNames = async (folder: string): Promise<string[]> => {
    const names: string[] = [];
    for await (const item of share.getDirectoryClient(folder).listFilesAndDirectories()) names.push(item.name);
    return names.sort();
  };

  const downloadCases = [
    { datastore: 'workspaceblobstore', service: 'blob', folder: 'resume-down', size: 128 * 1024 * 1024, partSize: 8 * 1024 * 1024 },
    { datastore: 'workspacefilestore', service: 'file', folder: 'resume-down-share', size: 64 * 1024 * 1024, partSize: 4 * 1024 * 1024 },
  ];
  for (const c of downloadCases) {
    it(`a large download from ${c.datastore} killed midway resumes from the ranges on disk (not fetched again); a file changed since starts over`, async () => {
      const source = path.join(work, `${c.folder}.bin`);
      await writeLargeFile(source, c.size, 1);
      if (c.service === 'blob') await blob.getBlockBlobClient(`${c.folder}/big.bin`).uploadFile(source);
      else {
        await share.getDirectoryClient(c.folder).createIfNotExists();
        await share.getDirectoryClient(c.folder).getFileClient('big.bin').uploadFile(source);
      }
      const to = path.join(work, `${c.folder}-local`);
      const half = c.size / 2;
      const parts = c.size / c.partSize;
      const isGet = (key: string): boolean => new RegExp(`^${c.service} GET /[^?]*/${c.folder}/big\\.bin\\?`).test(key);
      stallWhen = (key) => isGet(key) && rangeStart(key) >= half;
      const id = await azmlKilledOnceJournaled(['download', '--datastore', c.datastore, '--path', c.folder, '--to', to], 'big.bin', parts / 2)
        .finally(() => (stallWhen = undefined));
      const confirmed = new Set(journaledRanges(id, 'big.bin'));
      assert.equal(confirmed.size, parts / 2, 'the journal confirms the ranges written before the kill');
      assert.equal(readdirSync(to).filter((name) => name.startsWith('.azml-download-')).length, 1, 'the killed run left its temporary file');

      seen = [];
      const resumed = await azmlAsync(['download', '--resume', id, '--json']);
      assert.equal(resumed.status, 0, resumed.stderr);
      const fetched = seen.filter(isGet).map(rangeStart);
      assert.deepEqual(fetched.filter((offset) => confirmed.has(offset)), [], 'no range the journal confirmed was fetched again');
      // Distinct offsets: a request the client retried (a slow machine) is still one range.
      assert.equal(new Set(fetched).size, parts - confirmed.size, 'the other ranges were fetched');
      assert.equal(await md5OfStream(createReadStream(path.join(to, 'big.bin'))), await md5OfStream(createReadStream(source)), 'every byte is in its place');
      assert.deepEqual(readdirSync(to), ['big.bin'], 'no temporary file is left');
      assert.ok(!pending().some((p) => p.plan.id === id), 'its journal is gone');

      // Killed again; the remote file then changes (same size): the resume starts it over and says so.
      rmSync(to, { recursive: true, force: true });
      stallWhen = (key) => isGet(key) && rangeStart(key) >= half;
      const again = await azmlKilledOnceJournaled(['download', '--datastore', c.datastore, '--path', c.folder, '--to', to], 'big.bin', parts / 2)
        .finally(() => (stallWhen = undefined));
      await writeLargeFile(source, c.size, 2);
      if (c.service === 'blob') await blob.getBlockBlobClient(`${c.folder}/big.bin`).uploadFile(source);
      else await share.getDirectoryClient(c.folder).getFileClient('big.bin').uploadFile(source);
      seen = [];
      const restarted = await azmlAsync(['download', '--resume', again, '--json']);
      assert.equal(restarted.status, 0, restarted.stderr);
      const result = JSON.parse(restarted.stdout) as TransferResult;
      assert.deepEqual(result.restarted?.map((r) => r.path), ['big.bin']);
      assert.match(result.restarted![0]!.reason, /changed in the datastore/);
      assert.equal(new Set(seen.filter(isGet).map(rangeStart)).size, parts, 'the changed file is fetched whole');
      assert.equal(await md5OfStream(createReadStream(path.join(to, 'big.bin'))), await md5OfStream(createReadStream(source)), 'the new content arrived');
      assert.deepEqual(readdirSync(to), ['big.bin']);
      assert.ok(!pending().some((p) => p.plan.id === again), 'its journal is gone');
      rmSync(source, { force: true });
      rmSync(to, { recursive: true, force: true });
    });
  }

  it('a large upload to a file share killed midway resumes: ranges confirmed are not sent again, its temporary file is reused and none is left', async () => {
    const folder = path.join(work, 'share-large');
    mkdirSync(folder);
    const file = path.join(folder, 'big.bin');
    const size = 64 * 1024 * 1024;
    const ranges = size / (4 * 1024 * 1024);
    await writeLargeFile(file, size, 3);
    const isPutRange = (key: string): boolean => /^file PUT \/[^?]*\/share-large\/\.azml-upload-[0-9a-f]{24}\?.*comp=range/.test(key);
    stallWhen = (key) => isPutRange(key) && rangeStart(key) >= size / 2;
    const id = await azmlKilledOnceJournaled(['upload', folder, '--datastore', 'workspacefilestore'], 'big.bin', ranges / 2)
      .finally(() => (stallWhen = undefined));
    const confirmed = new Set(journaledRanges(id, 'big.bin'));
    assert.equal(confirmed.size, ranges / 2, 'the journal confirms the ranges the share answered');
    const left = (await shareFolderNames('share-large')).filter((name) => name.startsWith('.azml-upload-'));
    assert.equal(left.length, 1, 'the killed run left its temporary file');

    seen = [];
    const resumed = await azmlAsync(['upload', '--resume', id]);
    assert.equal(resumed.status, 0, resumed.stderr);
    const sent = seen.filter(isPutRange).map(rangeStart);
    assert.deepEqual(sent.filter((offset) => confirmed.has(offset)), [], 'no confirmed range was sent again');
    assert.equal(new Set(sent).size, ranges - confirmed.size, 'the other ranges were sent');
    assert.ok(seen.some((key) => key.includes(`/share-large/${left[0]}?`) && / PUT .*comp=range/.test(key)), 'into the temporary file the killed run left');
    assert.deepEqual(await shareFolderNames('share-large'), ['big.bin'], 'no temporary file is left');
    const remote = await share.getDirectoryClient('share-large').getFileClient('big.bin').download();
    assert.equal(await md5OfStream(remote.readableStreamBody!), await md5OfStream(createReadStream(file)), 'every byte arrived in its place');
    assert.ok(!pending().some((p) => p.plan.id === id), 'its journal is gone');
  });

  it('discarding a killed file share upload removes the temporary file it left in the share', async () => {
    const folder = path.join(work, 'share-large');
    const size = 64 * 1024 * 1024;
    const isPutRange = (key: string): boolean => /^file PUT \/[^?]*\/share-large\/\.azml-upload-[0-9a-f]{24}\?.*comp=range/.test(key);
    stallWhen = (key) => isPutRange(key) && rangeStart(key) >= size / 2;
    const id = await azmlKilledOnceJournaled(['upload', folder, '--datastore', 'workspacefilestore', '--on-exists', 'overwrite'], 'big.bin', 1)
      .finally(() => (stallWhen = undefined));
    assert.equal((await shareFolderNames('share-large')).filter((name) => name.startsWith('.azml-upload-')).length, 1, 'the killed run left its temporary file');
    const discard = await azmlAsync(['transfers', '--discard', id]);
    assert.equal(discard.status, 0, discard.stderr);
    assert.match(discard.stdout, /removed 1 temporary file/);
    assert.deepEqual(await shareFolderNames('share-large'), ['big.bin'], 'the temporary file is gone, the file uploaded before is as it was');
    assert.ok(!pending().some((p) => p.plan.id === id), 'its journal is gone');
    rmSync(folder, { recursive: true, force: true });
  });
});
