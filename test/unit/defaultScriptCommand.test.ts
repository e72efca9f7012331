import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JobSpecError } from '../../src/core/jobSpec/jobSpecError';
import { defaultScriptCommand } from '../../src/core/jobSpec/scriptJob';
import { jobCommandShell } from '../../src/core/shellWords';
import { findExecutable, preparePythonShim } from '../../src/local/jobRunner/jobEnvironment';

const root = path.join(os.tmpdir(), 'project');
const commandFor = (relative: string, shell: 'posix' | 'cmd'): string => defaultScriptCommand(path.join(root, relative), root, shell);

describe('the default command of Submit Current File as Run', () => {
  it('is quoted for bash (Azure compute; the local workspace on Linux and macOS)', () => {
    const expected: Array<[string, string]> = [
      ['train.py', 'python train.py'],
      ['src/train.py', 'python src/train.py'],
      ['my script.py', "python 'my script.py'"],
      ['run $HOME & del.py', "python 'run $HOME & del.py'"],
      ['100%done%.py', 'python 100%done%.py'],
      ['a^b (1).py', "python 'a^b (1).py'"],
      ['say "hi".py', `python 'say "hi".py'`],
      ["it's.py", `python 'it'\\''s.py'`],
      ['-c.py', 'python ./-c.py'],
    ];
    for (const [relative, command] of expected) assert.equal(commandFor(relative, 'posix'), command, relative);
  });

  it('is quoted for cmd.exe (the local workspace on Windows): plain "…" where that is enough, ^ escapes for % ! and "', () => {
    const expected: Array<[string, string]> = [
      ['train.py', 'python train.py'],
      ['src/train.py', 'python src/train.py'],
      ['my script.py', 'python "my script.py"'],
      ['run $HOME & del.py', 'python "run $HOME & del.py"'],
      ['a^b (1) | x.py', 'python "a^b (1) | x.py"'],
      ["it's.py", `python "it's.py"`],
      // cmd expands %NAME% (and !NAME! with delayed expansion) even inside quotes.
      ['100%done%.py', 'python ^"100^%done^%.py^"'],
      ['wow!.py', 'python ^"wow^!.py^"'],
      ['say "hi".py', 'python ^"say^ \\^"hi\\^".py^"'],
      ['-c.py', 'python ./-c.py'],
    ];
    for (const [relative, command] of expected) assert.equal(commandFor(relative, 'cmd'), command, relative);
  });

  it('is refused for cmd.exe when the name holds a line break, saying to rename the file or write the command', () => {
    for (const relative of ['a\nb.py', 'a\rb.py']) {
      assert.throws(() => commandFor(relative, 'cmd'),
        (error: Error) => error instanceof JobSpecError && error.message.includes(JSON.stringify(relative))
          && /Rename the file, or write the command yourself/.test(error.message), JSON.stringify(relative));
    }
    assert.equal(commandFor('a\nb.py', 'posix'), "python 'a\nb.py'", 'bash carries a line break inside single quotes');
  });

  it('uses cmd.exe quoting only for the local workspace on Windows', () => {
    assert.equal(jobCommandShell(true, 'win32'), 'cmd');
    assert.equal(jobCommandShell(true, 'linux'), 'posix');
    assert.equal(jobCommandShell(true, 'darwin'), 'posix');
    assert.equal(jobCommandShell(false, 'win32'), 'posix', 'Azure compute runs the command with bash on Linux');
  });

  describe('run by bash with python', function () {
    // One python start per name; slow on a loaded machine.
    this.timeout(60_000);
    let dir: string;
    const env: NodeJS.ProcessEnv = { ...process.env };
    before(async function () {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'script-command-'));
      const shim = await preparePythonShim(path.join(dir, '.tools'));
      if (shim) env['PATH'] = `${shim}${path.delimiter}${env['PATH'] ?? ''}`;
      if (!(await findExecutable('python', env['PATH']))) this.skip(); // neither python nor python3 here
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('runs the script named, whatever its name holds, and nothing else', () => {
      const names = [
        'train.py',
        'my script.py',
        'a $(touch pwned) "b".py',
        "it's `touch pwned`.py",
        'run $HOME & touch pwned.py',
        'x; touch pwned; y.py',
        '100%done%.py',
        'a^b (1) | touch pwned.py',
        '-c.py',
        'line\nbreak.py',
        "sub dir/it's here.py",
      ];
      for (const name of names) {
        const file = path.join(dir, name);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, 'import sys\nprint("ran " + sys.argv[0])\n');
        const command = defaultScriptCommand(file, dir, 'posix');
        const result = spawnSync('bash', ['-c', command], { cwd: dir, env, encoding: 'utf8' });
        assert.equal(result.status, 0, `${command}: ${result.stderr}`);
        assert.equal(result.stdout, `ran ${name.startsWith('-') ? `./${name}` : name}\n`, command);
      }
      assert.equal(fs.existsSync(path.join(dir, 'pwned')), false, 'no command hidden in a name ran');
    });
  });
});
