import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { ignoreRulesFrom, loadIgnoreRules } from '../../src/core/transfer/ignoreRules';
import { walkLocal, type LocalEntry } from '../../src/core/transfer/localWalk';

function tree(root: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, ...name.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

async function walk(root: string, entries?: string[]): Promise<LocalEntry[]> {
  const rules = await loadIgnoreRules(root);
  const found: LocalEntry[] = [];
  for await (const entry of walkLocal({ root, rules, ...(entries ? { entries } : {}) })) found.push(entry);
  return found;
}

const byKind = (entries: LocalEntry[], kind: LocalEntry['kind']): string[] =>
  entries.filter((e) => e.kind === kind).map((e) => e.relativePath).sort();

describe('upload ignore rules (gitignore syntax)', () => {
  it('follows gitignore semantics: globs, anchored and folder-only patterns, negation, **', () => {
    const rules = ignoreRulesFrom([
      '# a comment', '*.log', '!keep.log', '/build', 'cache/', 'docs/**/*.tmp', 'secret?.txt', '\\#literal',
    ].join('\n'), '.amlignore');
    const cases: Array<[string, boolean, boolean]> = [
      ['app.log', false, true],
      ['nested/deep/app.log', false, true],
      ['keep.log', false, false],
      ['build', true, true],
      ['src/build', true, false],
      ['cache', true, true],
      ['cache', false, false],
      ['src/cache', true, true],
      ['docs/a/b/x.tmp', false, true],
      ['docs/x.tmp', false, true],
      ['x.tmp', false, false],
      ['secret1.txt', false, true],
      ['secret12.txt', false, false],
      ['#literal', false, true],
      ['main.py', false, false],
    ];
    for (const [name, isDirectory, expected] of cases) {
      assert.equal(rules.ignores(name, isDirectory), expected, `${name}${isDirectory ? '/' : ''}`);
    }
    assert.equal(rules.rulesFile, '.amlignore');
  });

  it('always leaves out .git, at any depth, whatever the rules say', () => {
    const rules = ignoreRulesFrom('!.git\n');
    assert.equal(rules.ignores('.git', true), true);
    assert.equal(rules.ignores('vendor/lib/.git', false), true);
    assert.equal(ignoreRulesFrom(undefined).ignores('.git', true), true);
    assert.equal(ignoreRulesFrom(undefined).ignores('.gitignore', false), false);
  });

  describe('on a real folder', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(path.join(os.tmpdir(), 'azml-ignore-'));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('prefers .amlignore over .gitignore at the root', async () => {
      tree(root, { '.gitignore': '*.csv\n', '.amlignore': '*.bin\n', 'a.csv': 'x', 'b.bin': 'y', 'c.txt': 'z' });
      const entries = await walk(root);
      assert.deepEqual(byKind(entries, 'file'), ['.amlignore', '.gitignore', 'a.csv', 'c.txt']);
      assert.deepEqual(byKind(entries, 'ignored'), ['b.bin']);
      assert.equal((await loadIgnoreRules(root)).rulesFile, '.amlignore');
    });

    it('uses .gitignore when there is no .amlignore, and prunes ignored folders without walking them', async () => {
      tree(root, {
        '.gitignore': 'node_modules/\n*.pyc\n', 'src/main.py': 'print(1)', 'src/main.pyc': 'bytecode',
        'node_modules/a/index.js': '1', 'node_modules/b/index.js': '2', '.git/HEAD': 'ref', '.git/objects/ab/cd': 'obj',
      });
      const entries = await walk(root);
      assert.deepEqual(byKind(entries, 'file'), ['.gitignore', 'src/main.py']);
      const ignored = entries.filter((e) => e.kind === 'ignored');
      assert.deepEqual(ignored.map((e) => [e.relativePath, (e as { isDirectory: boolean }).isDirectory]).sort(),
        [['.git', true], ['node_modules', true], ['src/main.pyc', false]]);
    });

    it('reports empty folders and file sizes', async () => {
      tree(root, { 'a/b.txt': 'hello', 'empty.txt': '' });
      mkdirSync(path.join(root, 'a', 'nothing here'));
      const entries = await walk(root);
      assert.deepEqual(byKind(entries, 'emptyFolder'), ['a/nothing here']);
      const sizes = Object.fromEntries(entries.filter((e) => e.kind === 'file').map((e) => [e.relativePath, (e as { size: number }).size]));
      assert.deepEqual(sizes, { 'a/b.txt': 5, 'empty.txt': 0 });
    });

    it('follows links inside the folder, never out of it, and stops at link loops', async () => {
      const outside = mkdtempSync(path.join(os.tmpdir(), 'azml-outside-'));
      try {
        tree(outside, { 'secret.txt': 'not yours' });
        tree(root, { 'real/file.txt': 'inside', 'top.txt': 'top' });
        symlinkSync(path.join(root, 'real'), path.join(root, 'alias'));
        symlinkSync(path.join(root, 'top.txt'), path.join(root, 'top-link.txt'));
        symlinkSync(outside, path.join(root, 'escape'));
        symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'secret-link.txt'));
        symlinkSync(root, path.join(root, 'real', 'loop'));
        symlinkSync(path.join(root, 'missing'), path.join(root, 'dangling'));
        const entries = await walk(root);
        assert.deepEqual(byKind(entries, 'file'), ['alias/file.txt', 'real/file.txt', 'top-link.txt', 'top.txt']);
        const notUploaded = entries.filter((e) => e.kind === 'notUploaded') as Array<{ relativePath: string; reason: string }>;
        assert.deepEqual(notUploaded.map((e) => e.relativePath).sort(), ['alias/loop', 'escape', 'real/loop', 'secret-link.txt']);
        assert.match(notUploaded.find((e) => e.relativePath === 'escape')!.reason, /outside the folder/);
        assert.match(notUploaded.find((e) => e.relativePath === 'real/loop')!.reason, /contains it/);
        const unreadable = entries.filter((e) => e.kind === 'unreadable') as Array<{ relativePath: string; reason: string }>;
        assert.deepEqual(unreadable.map((e) => e.relativePath), ['dangling']);
        assert.match(unreadable[0]!.reason, /broken symbolic link/);
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    });

    it('leaves out devices and pipes rather than reading them', async function () {
      if (process.platform === 'win32') this.skip();
      tree(root, { 'a.txt': 'a' });
      execFileSync('mkfifo', [path.join(root, 'pipe')]);
      const entries = await walk(root);
      assert.deepEqual(byKind(entries, 'file'), ['a.txt']);
      assert.deepEqual(entries.filter((e) => e.kind === 'notUploaded').map((e) => [e.relativePath, (e as { reason: string }).reason]),
        [['pipe', 'not a regular file']]);
    });

    it('a chosen folder bounds the links in it; chosen files (a retry, a snapshot) stay bounded by the root', async () => {
      tree(root, { 'a/a.txt': 'a', 'b/b.txt': 'b', 'c/secret.txt': 'c', 'sub/x.txt': 'x' });
      symlinkSync(path.join(root, 'c'), path.join(root, 'a', 'to-c'));
      symlinkSync(path.join(root, 'c', 'secret.txt'), path.join(root, 'sub', 'link.txt'));
      const chosen = await walk(root, [path.join(root, 'a'), path.join(root, 'b')]);
      assert.deepEqual(byKind(chosen, 'file'), ['a/a.txt', 'b/b.txt']);
      assert.deepEqual(byKind(chosen, 'notUploaded'), ['a/to-c']);
      const files = await walk(root, [path.join(root, 'sub', 'link.txt'), path.join(root, 'sub', 'x.txt')]);
      assert.deepEqual(byKind(files, 'file'), ['sub/link.txt', 'sub/x.txt'], 'a link elsewhere inside the root is followed, as the walk of the root did');
    });

    it('walks only the chosen entries; chosen entries are not subject to the rules, their contents are', async () => {
      tree(root, { '.amlignore': '*.log\n', 'data/a.csv': '1', 'data/b.log': '2', 'run.log': '3', 'other/x.txt': '4' });
      const entries = await walk(root, [path.join(root, 'data'), path.join(root, 'run.log')]);
      assert.deepEqual(byKind(entries, 'file'), ['data/a.csv', 'run.log']);
      assert.deepEqual(byKind(entries, 'ignored'), ['data/b.log']);
    });
  });
});
