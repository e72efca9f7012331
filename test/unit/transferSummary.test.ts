import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { useNumberLocale } from '../../src/core/format';
import { progressMessage, summaryHeadline, summaryLines, unfinishedSentence } from '../../src/core/transfer/summary';
import type { TransferResult } from '../../src/core/transfer/types';
import { repoRoot } from '../support/repo';

const dutch = JSON.parse(readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.nl.json'), 'utf8')) as Record<string, string>;

function result(overrides: Partial<TransferResult>): TransferResult {
  return {
    direction: 'upload', datastoreName: 'ds', remotePath: 'data', localRoot: '/home/ana/data',
    transferred: { files: 3, bytes: 3000 }, skipped: { existing: 0, unchanged: 0, bytes: 0 },
    ignored: { files: 0, folders: 0 }, emptyFolders: 0, failed: [], notTransferred: [],
    canceled: false, elapsedMs: 2500, filesFound: 3, foundAll: true, ...overrides,
  };
}

/** Every way a transfer can end that the summary words differently. */
const endings: Record<string, TransferResult> = {
  'one file uploaded': result({ transferred: { files: 1, bytes: 10 }, filesFound: 1 }),
  'files downloaded, some skipped': result({ direction: 'download', skipped: { existing: 2, unchanged: 1, bytes: 30 }, filesFound: 6 }),
  'upload with ignored files and a rules file': result({ ignored: { files: 1, folders: 2, rulesFile: '.amlignore' } }),
  'upload with one ignored folder': result({ ignored: { files: 4, folders: 1 } }),
  'nothing to upload, one file': result({ transferred: { files: 0, bytes: 0 }, skipped: { existing: 0, unchanged: 1, bytes: 5 }, filesFound: 1 }),
  'nothing to download, mixed': result({ direction: 'download', transferred: { files: 0, bytes: 0 }, skipped: { existing: 2, unchanged: 3, bytes: 5 }, filesFound: 5 }),
  'upload canceled, total known': result({ canceled: true, filesFound: 20, elapsedMs: 130_000 }),
  'download canceled, still counting': result({ direction: 'download', canceled: true, filesFound: 8, foundAll: false }),
  'upload stopped after some files': result({ fatal: { message: 'Het container bestaat niet.', code: 'ContainerNotFound' }, filesFound: 9 }),
  'download with one failure and refused names': result({
    direction: 'download', filesFound: 5,
    failed: [{ path: 'a.bin', reason: 'schijf vol' }],
    notTransferred: [{ path: 'con', reason: 'geweigerd: gereserveerde naam' }, { path: 'x\u0001', reason: 'geweigerd: stuurteken' }],
  }),
  'upload with failures': result({ failed: [{ path: 'a.bin', reason: 'geweigerd' }, { path: 'b.bin', reason: 'geweigerd' }], filesFound: 5 }),
};

/** English words that only appear in the summary when a piece of it was left untranslated. */
const english = /\b(files?|folders?|uploaded|downloaded|finished|canceled|stopped|skipped|ignored|failed|refused|left|nothing|were|them|it|to|from|after|found|all|only|unchanged|already|there)\b/i;

describe('the transfer summary in Dutch', () => {
  before(() => l10n.config({ contents: dutch }));
  after(() => l10n.config({ contents: {} }));

  for (const [name, ending] of Object.entries(endings)) {
    it(`has no English word left in it: ${name}`, () => {
      const texts = [summaryHeadline(ending), ...summaryLines(ending), unfinishedSentence(ending) ?? ''];
      const leftovers = texts.filter((t) => english.test(t.replace(/\/home\/ana\/data|\.amlignore|\.git/g, '')));
      assert.deepEqual(leftovers, []);
    });
  }

  it('has no English word in the progress line', () => {
    const line = progressMessage({ direction: 'upload', filesDone: 3, filesTotal: 20, bytesDone: 4096, bytesTotal: 9000, bytesPerSecond: 2048, secondsLeft: 4 });
    assert.doesNotMatch(line, english);
    assert.match(line, /3 \/ 20 bestanden/);
  });

  it('says one file and one folder in the singular, and agrees the verb with the count', () => {
    const stopped = (files: number): TransferResult => result({ transferred: { files, bytes: 10 }, fatal: { message: 'Gestopt.', code: 'X' } });
    assert.equal(summaryHeadline(stopped(1)), 'Gestopt. Voordat het stopte, was 1 bestand (10 B) al geüpload.');
    assert.equal(summaryHeadline(stopped(3)), 'Gestopt. Voordat het stopte, waren 3 bestanden (10 B) al geüpload.');
    const lines = summaryLines(endings['upload with one ignored folder']!);
    assert.ok(lines.includes('  genegeerd: 4 bestanden en 1 map (.git wordt altijd overgeslagen)'), lines.join('\n'));
    assert.match(summaryHeadline(endings['one file uploaded']!), /^1 bestand \(10 B\) geüpload naar ds\/data\.$/);
  });

  it('writes numbers as Dutch does once the display language is set: 1.234 files, 2,9 KiB', () => {
    useNumberLocale('nl');
    try {
      const line = progressMessage({ direction: 'upload', filesDone: 1234, filesTotal: 20000, bytesDone: 3000, bytesTotal: 9000, bytesPerSecond: 2048, secondsLeft: 4 });
      assert.match(line, /^1\.234 \/ 20\.000 bestanden · 2,9 KiB/, line);
    } finally {
      useNumberLocale('en-US');
    }
    const english = progressMessage({ direction: 'upload', filesDone: 1234, filesTotal: 20000, bytesDone: 3000, bytesTotal: 9000, bytesPerSecond: 2048, secondsLeft: 4 });
    assert.match(english, /^1,234 \/ 20,000 bestanden · 2\.9 KiB/, 'the CLI and an English VS Code keep en-US numbers');
  });
});

describe('the transfer summary in English', () => {
  it('says one file and one folder in the singular, and whole sentences for each ending', () => {
    assert.equal(summaryHeadline(endings['one file uploaded']!), 'Uploaded 1 file (10 B) to ds/data.');
    assert.ok(summaryLines(endings['upload with one ignored folder']!).includes('  ignored: 4 files and 1 folder (.git is always left out)'));
    assert.equal(summaryHeadline(endings['download canceled, still counting']!), 'Download canceled: 3 files downloaded from ds/data (2.9 KiB); nothing else was written.');
    const refusedAndFailed = result({
      direction: 'download', filesFound: 5, failed: [{ path: 'a.bin', reason: 'disk full' }],
      notTransferred: [{ path: 'con', reason: 'refused: a reserved name' }, { path: 'x\u0001', reason: 'refused: a control character' }],
    });
    assert.equal(unfinishedSentence(refusedAndFailed),
      '2 remote names were refused (the first: a reserved name); the other files were downloaded. Rename them in the datastore to download them. '
      + '1 file failed (a.bin: disk full); fix that, then run the same download again to retry it.');
  });
});
