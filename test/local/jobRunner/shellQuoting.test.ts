import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { substituteReferences, UnresolvedReferenceError } from '../../../src/local/jobRunner/commandReferences';
import { quoteForCmd, quoteForPosixShell } from '../../../src/core/shellWords';

const awkward = [
  'x;touch pwned',
  '$(touch pwned)',
  '`touch pwned`',
  "it's \"quoted\"",
  'a b\tc',
  '$HOME and ${HOME}',
  'back\\slash\\',
  '*?[a]',
  '-n',
  '',
  'line\nbreak',
];

describe('shell quoting for job commands', () => {
  it('bash sees each runner path as exactly one argument, unchanged, and runs nothing', () => {
    for (const value of awkward) {
      const out = execFileSync('bash', ['-c', `printf '%s\\0' ${quoteForPosixShell(value)}`], { encoding: 'utf8' });
      assert.equal(out, `${value}\0`, `bash got ${JSON.stringify(out)} for ${JSON.stringify(value)}`);
    }
  });

  it('quotes a path for where the command put it: on its own, inside "…" or inside \'…\'; bash gets it unchanged and runs nothing', () => {
    const commands = [
      'printf \'%s\\0\' ${{inputs.data}}',
      'printf \'%s\\0\' "${{inputs.data}}"',
      'printf \'%s\\0\' \'${{inputs.data}}\'',
      'printf \'%s\\0\' "--data=${{inputs.data}}" | tail -c +8',
      'echo "it\'s \\"here\\"" > /dev/null; printf \'%s\\0\' "${{inputs.data}}"',
    ];
    for (const value of awkward.filter((v) => v !== '')) {
      for (const command of commands) {
        const line = substituteReferences(command, { inputs: { data: { path: value } }, outputs: {} }, 'linux');
        const out = execFileSync('bash', ['-c', line], { encoding: 'utf8' });
        assert.equal(out, `${value}\0`, `${command} gave ${JSON.stringify(out)} for ${JSON.stringify(value)}`);
      }
    }
  });

  it('leaves an ordinary path as it is, so a command that quotes it itself still works', () => {
    assert.equal(quoteForPosixShell('/home/u/.azureml-local/jobs/runs/j-1/inputs/data/train.csv'), '/home/u/.azureml-local/jobs/runs/j-1/inputs/data/train.csv');
    assert.equal(quoteForPosixShell('/data folder/x'), "'/data folder/x'");
  });

  it('cmd: one double-quoted argument with every cmd metacharacter escaped by ^', () => {
    assert.equal(quoteForCmd('C:\\data folder\\x;y.csv'), '^"C:\\data^ folder\\x^;y.csv^"');
    assert.equal(quoteForCmd('a&b|c<d>e^f'), '^"a^&b^|c^<d^>e^^f^"');
    // %VAR% would be expanded by cmd even inside quotes.
    assert.equal(quoteForCmd('100%PATH%'), '^"100^%PATH^%^"');
    assert.equal(quoteForCmd('(x) !y!'), '^"^(x^)^ ^!y^!^"');
  });

  it('cmd: quotes and trailing backslashes survive the program\'s own argument parsing', () => {
    // CommandLineToArgvW: \" is a quote inside the argument; backslashes before a quote are doubled.
    assert.equal(quoteForCmd('say "hi"'), '^"say^ \\^"hi\\^"^"');
    assert.equal(quoteForCmd('C:\\dir\\'), '^"C:\\dir\\\\^"');
    assert.equal(quoteForCmd('a\\"b'), '^"a\\\\\\^"b^"');
  });

  it('picks cmd quoting on Windows and POSIX quoting elsewhere', () => {
    const values = { inputs: { data: { path: 'a b' } }, outputs: {} };
    assert.equal(substituteReferences('x ${{inputs.data}}', values, 'win32'), 'x ^"a^ b^"');
    assert.equal(substituteReferences('x ${{inputs.data}}', values, 'linux'), "x 'a b'");
    assert.equal(substituteReferences('x ${{inputs.data}}', values, 'darwin'), "x 'a b'");
  });

  describe('inside command substitutions, comments and constructs a path cannot go into', function () {
    // Some hundred shells started, one per command shape, value and shell: 30 s on a loaded machine.
    this.timeout(180_000);
    let dir: string;
    let pwned: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quoting-'));
      pwned = path.join(dir, 'pwned');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const run = (shell: string, command: string, value: string): string => {
      const line = substituteReferences(command, { inputs: { data: { path: value } }, outputs: {} }, 'linux');
      const result = spawnSync(shell, ['-c', line], { cwd: dir, encoding: 'utf8' });
      assert.equal(result.status, 0, `${shell} failed on ${JSON.stringify(line)}: ${result.stderr}`);
      return result.stdout;
    };
    const hostile = (): string[] => [
      '/data/my file.csv',
      `/x; touch ${pwned}`,
      `/x"; touch ${pwned}; "`,
      `/x'; touch ${pwned}; '`,
      `/x$(touch ${pwned})`,
      `/x\`touch ${pwned}\``,
      `/x\\"; touch ${pwned}; \\"`,
      `/x\n touch ${pwned}`,
      ...awkward.filter((v) => v !== '' && !v.endsWith('\\')),
    ];

    it('a path in $(…) or `…`, even within "…", reaches the program as one argument, unchanged, and runs nothing', () => {
      // <%s> per argument the inner printf gets: one pair, holding the whole path.
      const commands = [
        'printf \'[%s]\' "$(printf \'<%s>\' ${{inputs.data}})"',
        'printf \'[%s]\' "$(printf \'<%s>\' "${{inputs.data}}")"',
        'printf \'[%s]\' "$(printf \'<%s>\' \'${{inputs.data}}\')"',
        'printf \'[%s]\' "$( (printf \'<%s>\' ${{inputs.data}}) )"',
        'printf \'[%s]\' "$(echo "$(( 1 + 2 ))" >/dev/null; printf \'<%s>\' ${{inputs.data}})"',
        'printf \'[%s]\' "`printf \'<%s>\' ${{inputs.data}}`"',
        'printf \'[%s]\' "`printf \'<%s>\' \\"${{inputs.data}}\\"`"',
        'x=`printf \'<%s>\' "${{inputs.data}}"`; printf \'[%s]\' "$x"',
        'x=`printf \'<%s>\' \'${{inputs.data}}\'`; printf \'[%s]\' "$x"',
        'x=`printf "%s" "\\`printf \'<%s>\' ${{inputs.data}}\\`"`; printf \'[%s]\' "$x"',
        'x=$(printf "%s" \'it\'\\\'\'s )\'); printf \'[%s]\' "$(printf \'<%s>\' ${{inputs.data}})"',
      ];
      for (const shell of ['sh', 'bash']) {
        for (const command of commands) {
          for (const value of hostile()) {
            assert.equal(run(shell, command, value), `[<${value}>]`, `${shell}: ${command} for ${JSON.stringify(value)}`);
          }
        }
      }
      assert.equal(fs.existsSync(pwned), false);
    });

    it('a quote in a # comment does not change how a later path is quoted, and a path in a comment stays there', () => {
      const commands = [
        ': # it\'s "odd"\nprintf \'[<%s>]\' ${{inputs.data}}',
        'printf \'[<%s>]\' ok # ${{inputs.data}}',
      ];
      for (const shell of ['sh', 'bash']) {
        for (const value of hostile()) {
          assert.equal(run(shell, commands[0]!, value), `[<${value}>]`, `${shell}: ${JSON.stringify(value)}`);
          assert.equal(run(shell, commands[1]!, value), '[<ok>]', `${shell}: ${JSON.stringify(value)}`);
        }
      }
      assert.equal(fs.existsSync(pwned), false);
    });

    it('refuses a path where the runner cannot tell how the shell would read it, saying where', () => {
      const refused: Array<[string, RegExp]> = [
        ['echo $(( ${{inputs.data}} + 1 ))', /\$\(\(…\)\)/],
        ['echo "${x:-${{inputs.data}}}"', /\$\{…\}/],
        ["echo $'${{inputs.data}}'", /\$'…'/],
        ['echo \\${{inputs.data}}', /backslash/],
        ['cat <<EOF\n${{inputs.data}}\nEOF', /here-document/],
      ];
      for (const [command, where] of refused) {
        assert.throws(() => substituteReferences(command, { inputs: { data: { path: '/d/x' } }, outputs: {} }, 'linux'),
          (error: Error) => error instanceof UnresolvedReferenceError && error.message.includes('${{inputs.data}}') && where.test(error.message), command);
      }
      // Before a here-document's text, and after $((…)) and ${…} have closed, a path is fine.
      assert.equal(run('sh', 'printf \'[%s]\' $((1+1)) "${HOME:+x}" ${{inputs.data}} <<EOF\nhi\nEOF', 'a b'), '[2][x][a b]');
    });
  });

  describe('cmd: a reference inside the command\'s own "…"', () => {
    const on = (command: string, value: string): string => substituteReferences(command, { inputs: { data: { path: value } }, outputs: {} }, 'win32');

    it('puts the path in as it is, so the program gets it as one argument', () => {
      assert.equal(on('python x.py "${{inputs.data}}"', 'C:\\my data\\x.csv'), 'python x.py "C:\\my data\\x.csv"');
      assert.equal(on('python x.py --data="${{inputs.data}}" -v', 'C:\\a&b (1)\\x.csv'), 'python x.py --data="C:\\a&b (1)\\x.csv" -v');
      // A trailing \ would otherwise escape the closing quote for the program's argument parsing.
      assert.equal(on('python x.py "${{inputs.data}}"', 'C:\\out dir\\'), 'python x.py "C:\\out dir\\\\"');
    });

    it('keeps cmd quoting for a reference outside quotes, after closed ones and after an escaped ^"', () => {
      assert.equal(on('python x.py ${{inputs.data}}', 'C:\\my data'), 'python x.py ^"C:\\my^ data^"');
      assert.equal(on('python "my x.py" ${{inputs.data}}', 'C:\\my data'), 'python "my x.py" ^"C:\\my^ data^"');
      assert.equal(on('echo ^"${{inputs.data}}', 'C:\\d'), 'echo ^"^"C:\\d^"');
    });

    it('refuses a path with % or " inside the quotes, telling the user to remove them', () => {
      for (const value of ['C:\\100%\\x', 'C:\\%PATH%', 'a"b', 'a\nb']) {
        assert.throws(() => on('python x.py "${{inputs.data}}"', value),
          (error: Error) => error instanceof UnresolvedReferenceError && /Remove those quotes/.test(error.message), JSON.stringify(value));
      }
    });
  });
});
