import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contentHash, contentHashVersion } from '../../src/core/snapshot/contentHash';
import { listSnapshotFiles } from '../../src/core/snapshot/snapshotFiles';
import { findSnapshotRoot } from '../../src/core/snapshot/snapshotRoot';

describe('snapshot content hash (hash version 202208)', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'azml-hash-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function write(relative: string, text: string): void {
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    writeFileSync(path.join(dir, relative), text);
  }

  it('matches the value worked out by hand for a small tree', async () => {
    write('b.txt', 'hello');
    write('A/c.py', 'print(1)\n');
    write('a.txt', 'x');
    // sha256("3" "#a.txt#" "1" "#A/c.py#" "9" "#b.txt#" "5" "x" "print(1)\n" "hello"): files by
    // lower-cased path (`a.txt` < `a/c.py` because '.' < '/'), count first, bytes last.
    const files = await listSnapshotFiles(dir);
    assert.equal(contentHashVersion, '202208');
    assert.equal(await contentHash(files), '5a22d4af18518fe2bf3c33554af100e5c1b0f27598a138a3ef8998e171ae798d');
  });

  it('leaves out what .amlignore ignores, and keeps the .amlignore itself', async () => {
    write('.amlignore', '*.log\n');
    write('train.py', 'print(1)\n');
    write('debug.log', 'noise');
    write('.git/HEAD', 'ref: refs/heads/main');
    const files = await listSnapshotFiles(dir);
    assert.deepEqual(files.map((f) => f.relativePath).sort(), ['.amlignore', 'train.py']);
    assert.equal(await contentHash(files), '6f1479fb7faa81570371861b3402c03529ef41d7f135b0af575fab35852209ab');
  });

  it('changes when a byte changes and not when files are only touched', async () => {
    write('train.py', 'print(1)\n');
    const before = await contentHash(await listSnapshotFiles(dir));
    write('train.py', 'print(1)\n');
    assert.equal(await contentHash(await listSnapshotFiles(dir)), before);
    write('train.py', 'print(2)\n');
    assert.notEqual(await contentHash(await listSnapshotFiles(dir)), before);
  });

  it('takes the nearest folder with .amlignore, else the workspace folder', () => {
    write('project/src/train.py', 'print(1)\n');
    write('project/.amlignore', '');
    const script = path.join(dir, 'project', 'src', 'train.py');
    assert.equal(findSnapshotRoot(script, [dir]), path.join(dir, 'project'));
    rmSync(path.join(dir, 'project', '.amlignore'));
    assert.equal(findSnapshotRoot(script, [dir]), dir);
    assert.equal(findSnapshotRoot(script, []), path.join(dir, 'project', 'src'));
  });
});
