import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { localPathForRemote, localPathForRemoteName, unsafeRemoteNameReason } from '../../src/core/transfer/pathSafety';
import { joinRemote, normalizeRemoteFolder, remoteFolderProblem } from '../../src/core/transfer/remotePaths';
import { planUpload } from '../../src/core/transfer/uploadPlan';
import { parseBlobListPage } from '../../src/core/transfer/blobListing';

describe('download path safety', () => {
  const root = path.resolve(os.tmpdir(), 'azml-download-root');

  it('refuses remote names that could land outside the local folder', () => {
    const hostile: Array<[string, RegExp]> = [
      ['../evil.txt', /"\.\."/],
      ['a/../../evil.txt', /"\.\."/],
      ['a/..', /"\.\."/],
      ['..', /"\.\."/],
      ['/etc/passwd', /absolute/],
      ['a\\..\\b.txt', /backslash/],
      ['..\\evil.txt', /backslash/],
      ['C:/Windows/evil.txt', /drive letter/],
      ['C:evil.txt', /drive letter/],
      ['a/D:/x.txt', /drive letter/],
      ['a//b.txt', /empty folder name/],
      ['./a.txt', /"\."/],
      ['a/./b.txt', /"\."/],
      ['bad\u0000name', /control/],
      ['', /empty/],
    ];
    for (const [name, reason] of hostile) {
      const target = localPathForRemote(root, name);
      assert.equal(target.ok, false, JSON.stringify(name));
      assert.match((target as { reason: string }).reason, reason, JSON.stringify(name));
    }
  });

  it('maps ordinary names, including dots inside names, under the folder', () => {
    const fine = ['a.txt', 'deep/a/b/c.txt', '..hidden', 'a..b/c...txt', '.env', 'with space/#hash%41?.txt', 'ünï/文件.txt'];
    for (const name of fine) {
      const target = localPathForRemote(root, name);
      assert.ok(target.ok, name);
      assert.equal(target.localPath, path.join(root, ...name.split('/')));
    }
    assert.match(unsafeRemoteNameReason('x:y.txt')!, /drive letter/, 'drive-relative on Windows');
    assert.equal(unsafeRemoteNameReason('name:with:colons.txt', 'linux'), undefined);
  });

  it('on Windows, refuses names it would take for a stream of another file, a device or another name; elsewhere they are ordinary', () => {
    const windowsOnly: Array<[string, RegExp]> = [
      ['data/a.txt:hidden', /stream of another file/],
      ['name:with:colons.txt', /stream of another file/],
      ['logs/NUL.txt', /device name Windows reserves \(NUL\.txt\)/],
      ['nul.tar.gz', /device name/],
      ['con', /device name/],
      ['out/com1/x.bin', /device name/],
      ['lpt¹.log', /device name/],
      ['report.', /ends with a dot or a space/],
      ['folder /a.txt', /ends with a dot or a space/],
      ['what?.txt', /Windows does not allow/],
      ['a<b>.txt', /Windows does not allow/],
    ];
    for (const [name, reason] of windowsOnly) {
      assert.match(unsafeRemoteNameReason(name, 'win32') ?? '', reason, JSON.stringify(name));
      assert.equal(unsafeRemoteNameReason(name, 'linux'), undefined, `${JSON.stringify(name)} is an ordinary name on Linux`);
    }
    for (const name of ['console.log', 'nul-results.txt', 'com10.txt', 'aux2/x', 'a.b.txt', '..hidden']) {
      assert.equal(unsafeRemoteNameReason(name, 'win32'), undefined, name);
    }
  });

  it('takes a job, output or datastore name as one folder name only', () => {
    assert.deepEqual(localPathForRemoteName(root, 'my_output'), { ok: true, localPath: path.join(root, 'my_output') });
    for (const [name, reason] of [['a/b', /"\/"/], ['..', /"\.\."/], ['/etc', /"\/"/], ['x\\y', /backslash/], ['tab\there', /control/], ['del\u007f', /control/]] as const) {
      const target = localPathForRemoteName(root, name);
      assert.equal(target.ok, false, JSON.stringify(name));
      assert.match((target as { reason: string }).reason, reason, JSON.stringify(name));
    }
  });

  it('validates and normalizes folder paths typed for a datastore', () => {
    assert.equal(normalizeRemoteFolder('/a//b/'), 'a/b');
    assert.equal(normalizeRemoteFolder(''), '');
    assert.equal(normalizeRemoteFolder('my data/v1'), 'my data/v1');
    assert.match(remoteFolderProblem('a/../b')!, /"\.\."/);
    assert.match(remoteFolderProblem('a\\b')!, /"\/"/);
    assert.throws(() => normalizeRemoteFolder('./x'));
    assert.equal(joinRemote('', 'a.txt'), 'a.txt');
    assert.equal(joinRemote('t', 'a.txt'), 't/a.txt');
  });
});

describe('what an upload takes from a selection', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'azml-plan-'));
    mkdirSync(path.join(root, 'project', 'data'), { recursive: true });
    writeFileSync(path.join(root, 'project', 'a.py'), '');
    writeFileSync(path.join(root, 'project', 'data', 'b.csv'), '');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('one folder: its contents, into a folder of its name', async () => {
    const plan = await planUpload([path.join(root, 'project')]);
    assert.deepEqual(plan, { localRoot: path.join(root, 'project'), defaultTarget: 'project' });
  });

  it('files and folders: each keeps its name, under their parent\'s name; nested choices collapse', async () => {
    const plan = await planUpload([path.join(root, 'project', 'a.py'), path.join(root, 'project', 'data'), path.join(root, 'project', 'data', 'b.csv')]);
    assert.deepEqual(plan, {
      localRoot: path.join(root, 'project'),
      entries: [path.join(root, 'project', 'a.py'), path.join(root, 'project', 'data')],
      defaultTarget: 'project',
    });
  });
});

describe('what an upload refuses from a selection, before anything is sent', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'azml-plan-refuse-'));
    mkdirSync(path.join(root, 'project'), { recursive: true });
    writeFileSync(path.join(root, 'project', 'a.py'), '');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('a missing path, and choices whose only common folder is the file system root', async function () {
    await assert.rejects(planUpload([path.join(root, 'project'), path.join(root, 'typo')]), new RegExp(`${path.join(root, 'typo').replace(/\\/g, '\\\\')} does not exist`));
    if (process.platform === 'win32') this.skip();
    await assert.rejects(planUpload([path.join(root, 'project', 'a.py'), '/usr']), /have no folder in common/);
  });
});

describe('the quick blob listing parser', () => {
  it('takes name, size, Content-MD5 and folder markers from a List Blobs page, decoding XML and encoded names', () => {
    const xml = '<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="http://x/" ContainerName="c">'
      + '<Prefix>p/</Prefix><MaxResults>5000</MaxResults><Blobs>'
      + '<Blob><Name>p/a&amp;b &lt;c&gt; &quot;d&quot; &#x1F600;.txt</Name><Properties><Content-Length>12</Content-Length>'
      + '<Content-MD5>ndTkYSaMgDT1yFZOFVxnpg==</Content-MD5></Properties><Metadata><Blob>v</Blob></Metadata></Blob>'
      + '<Blob><Name Encoded="true">p/odd%EF%BF%BFname</Name><Properties><Content-Length>0</Content-Length><Content-MD5 /></Properties><Metadata /></Blob>'
      + '<Blob><Name>p/dir</Name><Properties><Content-Length>0</Content-Length></Properties><Metadata><hdi_isfolder>true</hdi_isfolder></Metadata></Blob>'
      + '</Blobs><NextMarker>2!72!MDAwMDA&amp;</NextMarker></EnumerationResults>';
    assert.deepEqual(parseBlobListPage(xml), {
      blobs: [
        { name: 'p/a&b <c> "d" 😀.txt', size: 12, md5: 'ndTkYSaMgDT1yFZOFVxnpg==', isFolder: false },
        { name: 'p/odd\uffffname', size: 0, isFolder: false },
        { name: 'p/dir', size: 0, isFolder: true },
      ],
      nextMarker: '2!72!MDAwMDA&',
    });
    assert.deepEqual(parseBlobListPage('<EnumerationResults><Blobs /><NextMarker /></EnumerationResults>'), { blobs: [] });
    assert.deepEqual(parseBlobListPage('<EnumerationResults><Blobs /><NextMarker>more</NextMarker></EnumerationResults>'), { blobs: [], nextMarker: 'more' },
      'an empty page may still continue');
  });
});
