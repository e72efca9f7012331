import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AccountSASPermissions, AccountSASResourceTypes, AccountSASServices, generateAccountSASQueryParameters, SASProtocol,
  StorageSharedKeyCredential,
} from '@azure/storage-file-share';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { repoRoot } from '../support/repo';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { localStorageKey } from '../support/storageKey';

// The local workspace's file share driven by the clients users point at storage: `az storage file`
// (Python SDK) and AzCopy (Go SDK; what Azure Storage Explorer runs), as child processes.

const account = devStorageAccount.name;
const MiB = 1024 * 1024;
/** Each child process gets this long; they take a few seconds here. */
const childTimeoutMs = 120_000;

interface Ran {
  stdout: string;
  stderr: string;
}

/** Runs a program with an argument array (no shell); rejects with its output when it fails or times out. */
function run(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { env: { ...process.env, ...env }, timeout: childTimeoutMs, maxBuffer: 16 * MiB, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(program)} ${args[0] ?? ''} ${args[1] ?? ''} failed (${error.code ?? error.signal}):\n${stdout}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

function which(command: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Nested folders, an empty file, a 5 MiB file, names with spaces and non-ASCII letters, an empty folder. */
async function makeTree(root: string): Promise<void> {
  const files: Record<string, Buffer> = {
    'top.txt': Buffer.from('top\n'),
    'sub/a.txt': Buffer.from('a\n'),
    'sub/empty.bin': Buffer.alloc(0),
    'sub/deeper/big file.bin': randomBytes(5 * MiB),
    'sub/deeper/déjà vu/naïve ✓.txt': Buffer.from('ü\n'),
  };
  for (const [name, bytes] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await fs.writeFile(path.join(root, name), bytes);
  }
  await fs.mkdir(path.join(root, 'empty folder'), { recursive: true });
}

/** Every file under `root` (relative, `/`-separated) with its bytes, and every folder. */
async function snapshot(root: string): Promise<{ files: Map<string, Buffer>; folders: string[] }> {
  const files = new Map<string, Buffer>();
  const folders: string[] = [];
  for (const entry of await fs.readdir(root, { recursive: true, withFileTypes: true })) {
    const relative = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (entry.isDirectory()) folders.push(relative);
    else files.set(relative, await fs.readFile(path.join(root, relative)));
  }
  return { files, folders: folders.sort() };
}

function assertSameFiles(actual: Map<string, Buffer>, expected: Map<string, Buffer>): void {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
  for (const [name, bytes] of expected) assert.ok(actual.get(name)!.equals(bytes), `${name} is byte-identical`);
}

describe('the local workspace file share with real clients (az storage file, AzCopy)', function () {
  this.timeout(10 * 60_000);
  let local: StartedLocalWorkspace;
  let work: string;
  let tree: string;
  let expected: Awaited<ReturnType<typeof snapshot>>;
  let share: string;

  before(async () => {
    local = await startLocalWorkspace();
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-peers-'));
    tree = path.join(work, 'tree');
    await makeTree(tree);
    expected = await snapshot(tree);
    const { workspaceClient } = connectLocalWorkspace(local.connection);
    share = (await workspaceClient.datastores.get('workspacefilestore')).fileShareName!;
  });

  after(async () => {
    await local?.dispose();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  describe('az storage file (Python SDK)', () => {
    let az: string | undefined;
    let azEnv: NodeJS.ProcessEnv;
    let connectionString: string;

    before(function () {
      az = which('az');
      if (!az) {
        console.log('      az not installed: apt-get install azure-cli');
        this.skip();
      }
      azEnv = {
        AZURE_CONFIG_DIR: path.join(work, 'az-config'),
        AZURE_CORE_COLLECT_TELEMETRY: 'no',
        AZURE_CORE_ONLY_SHOW_ERRORS: 'true',
        AZURE_CORE_NO_COLOR: 'true',
      };
      connectionString = `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${localStorageKey(local.dataDir)};FileEndpoint=${local.connection.fileEndpoint};`;
    });

    const storageFile = (args: string[]) => run(az!, ['storage', ...args, '--connection-string', connectionString, '--only-show-errors'], azEnv);

    it('uploads a tree with upload-batch, lists its subfolders and downloads it byte-identical with download-batch', async () => {
      await storageFile(['file', 'upload-batch', '--destination', share, '--destination-path', 'az tree', '--source', tree, '-o', 'none']);

      const listed = JSON.parse((await storageFile(['file', 'list', '--share-name', share, '--path', 'az tree/sub', '-o', 'json'])).stdout) as
        Array<{ name: string; type: string; properties: { contentLength?: number } }>;
      assert.deepEqual(
        listed.map((entry) => `${entry.type} ${entry.name}${entry.type === 'file' ? ` ${entry.properties.contentLength}` : ''}`).sort(),
        ['dir deeper', 'file a.txt 2', 'file empty.bin 0'],
      );
      const deepest = JSON.parse((await storageFile(['file', 'list', '--share-name', share, '--path', 'az tree/sub/deeper/déjà vu', '-o', 'json'])).stdout) as
        Array<{ name: string }>;
      assert.deepEqual(deepest.map((entry) => entry.name), ['naïve ✓.txt']);

      const downloads = path.join(work, 'az-download');
      await fs.mkdir(downloads);
      await storageFile(['file', 'download-batch', '--source', share, '--pattern', 'az tree/*', '--destination', downloads, '-o', 'none']);
      // az uploads files only: the empty folder is not part of what it copies.
      assertSameFiles((await snapshot(path.join(downloads, 'az tree'))).files, expected.files);
    });
  });

  describe('AzCopy (Go SDK, as Azure Storage Explorer runs it)', () => {
    let azcopy: string;
    let azcopyEnv: NodeJS.ProcessEnv;
    let sas: string;

    before(() => {
      // The installer the upload bench uses: @azure-tools/azcopy-linux from npm into .vscode-test/peers.
      azcopy = execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'peers', 'azcopy.mjs')], {
        encoding: 'utf8', timeout: 5 * 60_000, stdio: ['ignore', 'pipe', 'inherit'],
      }).trim();
      azcopyEnv = {
        AZCOPY_LOG_LOCATION: path.join(work, 'azcopy-logs'),
        AZCOPY_JOB_PLAN_LOCATION: path.join(work, 'azcopy-plans'),
      };
      // An account SAS, as Storage Explorer's "connect with a SAS" gives AzCopy.
      sas = generateAccountSASQueryParameters({
        expiresOn: new Date(Date.now() + 60 * 60_000),
        permissions: AccountSASPermissions.parse('rwdlc'),
        services: AccountSASServices.parse('f').toString(),
        resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
        protocol: SASProtocol.HttpsAndHttp,
      }, new StorageSharedKeyCredential(account, localStorageKey(local.dataDir))).toString();
    });

    const url = (remotePath: string) => `${local.connection.fileEndpoint}/${share}/${remotePath.split('/').map(encodeURIComponent).join('/')}?${sas}`;
    const common = ['--skip-version-check', '--output-level', 'essential'];

    it('uploads a tree with copy --recursive, lists it and copies it back byte-identical (Content-MD5 checked), empty folder included', async () => {
      // --put-md5 / --check-md5: each file's Content-MD5 is stored on upload and verified on download.
      await run(azcopy, ['copy', tree, url(''), '--recursive', '--from-to', 'LocalFileSMB', '--put-md5', ...common], azcopyEnv);

      const listed = await run(azcopy, ['list', url('tree/sub'), '--location', 'File', '--machine-readable', ...common], azcopyEnv);
      const lines = listed.stdout.split('\n').map((line) => line.trim()).filter((line) => /; Content Length: /.test(line) && !line.startsWith('/;'));
      assert.deepEqual(lines.sort(), [
        'a.txt; Content Length: 2',
        'deeper/; Content Length: 0',
        `deeper/big file.bin; Content Length: ${5 * MiB}`,
        'deeper/déjà vu/; Content Length: 0',
        'deeper/déjà vu/naïve ✓.txt; Content Length: 3',
        'empty.bin; Content Length: 0',
      ]);

      const downloads = path.join(work, 'azcopy-download');
      await fs.mkdir(downloads);
      await run(azcopy, ['copy', url('tree'), downloads, '--recursive', '--from-to', 'FileSMBLocal', '--check-md5', 'FailIfDifferentOrMissing', ...common], azcopyEnv);
      const copied = await snapshot(path.join(downloads, 'tree'));
      assertSameFiles(copied.files, expected.files);
      assert.deepEqual(copied.folders, expected.folders);
    });
  });
});
