import * as assert from 'node:assert/strict';
import {
  chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoveryFileName } from '../../src/local/discovery';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { assertRefused, azml, type CliResult, localTarget, treeOf } from './harness';

/**
 * Root reads every file whatever its mode; "unreadable" cases run the CLI as nobody (65534),
 * against a copy of the discovery file that nobody may read. Not root: the test's own user
 * cannot read a mode-000 file either, so the same cases hold.
 */
const nobody = 65534;
const isRoot = process.getuid?.() === 0;

/** One thing on disk that a command is pointed at, and what the one-line answer must say. */
interface Case {
  name: string;
  /** Builds the files in `dir` (a fresh folder) and answers the command's words (without the target). */
  setup: (dir: string) => string[];
  says: RegExp;
  /** Run as another user, for whom mode-000 files are unreadable. */
  asOtherUser?: true;
}

const project = (dir: string, files: Record<string, string> = { 'train.py': 'print(1)\n' }): string => {
  const root = path.join(dir, 'project');
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, '.amlignore'), '');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
};

const upload = (folder: string): string[] => ['upload', folder, '--datastore', 'workspaceblobstore', '--target', `bad-local/${path.basename(path.dirname(folder))}`];

const cases: Case[] = [
  { name: 'submit of an empty (zero-byte) script', setup: (d) => ['submit', path.join(project(d, { 'train.py': '' }), 'train.py')], says: /train\.py is empty: there is nothing to run/ },
  { name: 'submit of a script that does not exist', setup: (d) => ['submit', path.join(project(d), 'nope.py')], says: /nope\.py does not exist: check the path/ },
  { name: 'submit of a folder named like a job file', setup: (d) => { mkdirSync(path.join(d, 'job.yml')); return ['submit', path.join(d, 'job.yml')]; }, says: /job\.yml is a folder: choose a file/ },
  { name: 'submit of a job file that is a symbolic link loop', setup: (d) => { symlinkSync('job.yml', path.join(d, 'job.yml')); return ['submit', path.join(d, 'job.yml')]; }, says: /job\.yml is a loop of symbolic links: fix or remove the link/ },
  { name: 'submit of a script whose folder holds a symbolic link loop', setup: (d) => { const p = project(d); symlinkSync('loop', path.join(p, 'loop')); return ['submit', path.join(p, 'train.py')]; }, says: /Can't read loop for the snapshot \(.*ELOOP.*\): fix or remove it, or list it in \.amlignore/ },
  { name: 'submit of a script whose folder holds two links pointing at each other', setup: (d) => { const p = project(d); symlinkSync('b', path.join(p, 'a')); symlinkSync('a', path.join(p, 'b')); return ['submit', path.join(p, 'train.py')]; }, says: /Can't read a for the snapshot \(.*ELOOP.*\): fix or remove it, or list it in \.amlignore/ },
  { name: 'upload of a folder holding a symbolic link loop', setup: (d) => { const p = project(d); symlinkSync('loop', path.join(p, 'loop')); return upload(p); }, says: /1 file failed \(loop: .*ELOOP.*\); fix that, then run the same upload again/ },
  { name: 'upload of a symbolic link loop itself', setup: (d) => { symlinkSync('loop', path.join(d, 'loop')); return ['upload', path.join(d, 'loop'), '--datastore', 'workspaceblobstore']; }, says: /loop is a loop of symbolic links: fix or remove the link/ },
  { name: 'a --data folder that is a file', setup: (d) => { writeFileSync(path.join(d, 'data'), 'x'); return ['datastores', '--local', '--data', path.join(d, 'data')]; }, says: /No local workspace is running for .*data.*Start one with: npm run local/ },
  { name: 'a discovery file cut off in the middle', setup: (d) => { mkdirSync(path.join(d, 'data')); writeFileSync(path.join(d, 'data', discoveryFileName), '{"ready":true,"pid":12'); return ['datastores', '--local', '--data', path.join(d, 'data')]; }, says: /No local workspace is running for .*\(local-workspace\.json is not valid JSON\)\. Start one with: npm run local/ },
  { name: 'a discovery file of the wrong shape', setup: (d) => { mkdirSync(path.join(d, 'data')); writeFileSync(path.join(d, 'data', discoveryFileName), '[1,2,3]'); return ['datastores', '--local', '--data', path.join(d, 'data')]; }, says: /No local workspace is running for .*\(local-workspace\.json is not .*\)\. Start one with: npm run local/ },
  { name: 'an unreadable job file', asOtherUser: true, setup: (d) => { writeFileSync(path.join(d, 'job.yml'), 'command: python x.py\n'); chmodSync(path.join(d, 'job.yml'), 0o000); return ['submit', path.join(d, 'job.yml')]; }, says: /job\.yml can't be read \(permission denied\): check its permissions/ },
  { name: 'an unreadable script', asOtherUser: true, setup: (d) => { const p = project(d); chmodSync(path.join(p, 'train.py'), 0o000); return ['submit', path.join(p, 'train.py')]; }, says: /project\/train\.py can't be read \(permission denied\): check its permissions/ },
  { name: 'an unreadable file in a snapshot folder', asOtherUser: true, setup: (d) => { const p = project(d, { 'train.py': 'print(1)\n', 'secret.csv': 'x' }); chmodSync(path.join(p, 'secret.csv'), 0o000); return ['submit', path.join(p, 'train.py')]; }, says: /project\/secret\.csv can't be read \(permission denied\): check its permissions/ },
  { name: 'an unreadable file in a folder to upload', asOtherUser: true, setup: (d) => { const p = project(d, { 'ok.txt': 'ok', 'secret.csv': 'x' }); chmodSync(path.join(p, 'secret.csv'), 0o000); return upload(p); }, says: /1 file failed \(secret\.csv: permission denied \(EACCES\)\); fix that, then run the same upload again/ },
  { name: 'an unreadable subfolder in a folder to upload', asOtherUser: true, setup: (d) => { const p = project(d, { 'ok.txt': 'ok', 'private/a.txt': 'a' }); chmodSync(path.join(p, 'private'), 0o000); return upload(p); }, says: /1 file failed \(private: can't list folder \(EACCES\)\); fix that, then run the same upload again/ },
  { name: 'an unreadable folder to upload', asOtherUser: true, setup: (d) => { const p = project(d, { 'ok.txt': 'ok' }); chmodSync(p, 0o000); return upload(p); }, says: /project\/\.amlignore can't be read \(permission denied\): check its permissions/ },
  { name: 'a download into a folder that may not be written', asOtherUser: true, setup: (d) => { mkdirSync(path.join(d, 'locked')); chmodSync(path.join(d, 'locked'), 0o555); return ['download', '--datastore', 'workspaceblobstore', '--path', 'seed', '--to', path.join(d, 'locked', 'into')]; }, says: /locked\/into can't be (read|used) \(permission denied\): check its permissions or choose another/ },
];

describe('bad input: local files (zero-byte, unreadable, symbolic link loops, broken discovery files)', function () {
  this.timeout(60_000);
  let local: StartedLocalWorkspace;
  let work: string;
  /** The local workspace's discovery file, readable by the other user. */
  let otherUserData: string;

  before(async () => {
    local = await startLocalWorkspace();
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-bad-local-'));
    chmodSync(work, 0o755);
    otherUserData = path.join(work, 'other-user-data');
    mkdirSync(otherUserData);
    copyFileSync(path.join(local.dataDir, discoveryFileName), path.join(otherUserData, discoveryFileName));
    if (isRoot) {
      chownSync(otherUserData, nobody, nobody);
      chownSync(path.join(otherUserData, discoveryFileName), nobody, nobody);
    }
    const seed = project(path.join(work, 'seed-source'), { 'a.txt': 'a' });
    const seeded = azml(['upload', seed, '--datastore', 'workspaceblobstore', '--target', 'seed', ...localTarget(local)]);
    assert.equal(seeded.status, 0, seeded.stderr);
  });
  after(async () => {
    await local?.dispose();
    if (work) {
      // Mode-000 folders must be opened again for the tidy-up.
      for (const entry of treeOf(work)) if (entry.endsWith('/')) chmodSync(path.join(work, entry), 0o755);
      rmSync(work, { recursive: true, force: true });
    }
  });

  for (const [index, c] of cases.entries()) {
    it(c.name, () => {
      const dir = path.join(work, `case-${index}`);
      mkdirSync(dir);
      chmodSync(dir, 0o777);
      const args = c.setup(dir);
      const target = args.includes('--local') ? [] : c.asOtherUser ? ['--local', '--data', otherUserData] : localTarget(local);
      const before = treeOf(work);
      const result: CliResult = azml([...args, ...target], {
        cwd: dir, ...(c.asOtherUser && isRoot ? { uid: nobody, gid: nobody, env: { HOME: dir } } : {}),
      });
      assertRefused(result, c.says);
      assert.deepEqual(treeOf(work), before, 'nothing written on this machine');
    });
  }

  describe('zero-byte files are data like any other', () => {
    it('a zero-byte file uploads as an empty blob and downloads back as an empty file', () => {
      const dir = path.join(work, 'zero');
      const p = project(dir, { 'empty.bin': '', 'data/also-empty.txt': '' });
      const up = azml(['upload', p, '--datastore', 'workspaceblobstore', '--target', 'zero', ...localTarget(local)]);
      assert.equal(up.status, 0, up.stderr);
      assert.match(up.stdout, /uploaded: 3 files, 0 B/);
      const to = path.join(dir, 'back');
      const down = azml(['download', '--datastore', 'workspaceblobstore', '--path', 'zero', '--to', to, ...localTarget(local)]);
      assert.equal(down.status, 0, down.stderr);
      assert.deepEqual(treeOf(to), ['.amlignore 0', 'data/', 'data/also-empty.txt 0', 'empty.bin 0']);
    });

    it('a folder link back to its own parent is left out, and the rest uploads', () => {
      const dir = path.join(work, 'cycle');
      const p = project(dir, { 'sub/a.txt': 'a' });
      symlinkSync('..', path.join(p, 'sub', 'up'));
      const up = azml(['upload', p, '--datastore', 'workspaceblobstore', '--target', 'cycle', ...localTarget(local)]);
      assert.equal(up.status, 0, up.stderr);
      assert.match(up.stdout, /uploaded: 2 files/);
      assert.match(up.stdout, /sub\/up — symbolic link to a folder that contains it \(not followed\)/);
    });
  });
});
