import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaseClashes, isCaseInsensitive } from '../../src/core/transfer/caseClashes';

describe('remote names that would land on one local file', () => {
  const root = path.join(os.tmpdir(), 'download');

  it('in a folder that does not tell case apart (macOS, Windows): the second of two names differing only in case or Unicode form is refused, naming the first', () => {
    const clashes = new CaseClashes(true);
    assert.equal(clashes.claim('img/Cat.png', path.join(root, 'img', 'Cat.png')), undefined);
    assert.equal(clashes.claim('img/cat.png', path.join(root, 'img', 'cat.png')),
      'img/Cat.png in the same download differs from it only in upper and lower case, which this folder does not tell apart');
    assert.match(clashes.claim('IMG/CAT.PNG', path.join(root, 'IMG', 'CAT.PNG')) ?? '', /^img\/Cat\.png /, 'a folder differing in case is the same folder');
    assert.equal(clashes.claim('caf\u00e9.txt', path.join(root, 'caf\u00e9.txt')), undefined);
    assert.match(clashes.claim('cafe\u0301.txt', path.join(root, 'cafe\u0301.txt')) ?? '', /^caf\u00e9\.txt /, 'é composed and decomposed');
    for (const name of ['img/dog.png', 'img2/cat.png', 'Data/a.csv', 'data/b.csv']) {
      assert.equal(clashes.claim(name, path.join(root, ...name.split('/'))), undefined, `${name} lands on a file of its own`);
    }
    assert.equal(clashes.claim('img/Cat.png', path.join(root, 'img', 'Cat.png')), undefined, 'the same name again is no clash');
  });

  it('in a folder that tells case apart (Linux), every name is its own', () => {
    const clashes = new CaseClashes(false);
    assert.equal(clashes.claim('img/Cat.png', path.join(root, 'img', 'Cat.png')), undefined);
    assert.equal(clashes.claim('img/cat.png', path.join(root, 'img', 'cat.png')), undefined);
  });

  it('asks the folder itself, and leaves nothing behind', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'azml-case-'));
    try {
      // This machine's temporary folder is on a Linux file system, which tells case apart.
      assert.equal(await isCaseInsensitive(folder), process.platform === 'darwin' || process.platform === 'win32');
      assert.deepEqual(readdirSync(folder), []);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
