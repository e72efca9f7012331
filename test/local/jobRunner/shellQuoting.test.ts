import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { substituteReferences } from '../../../src/local/jobRunner/commandReferences';
import { quoteForCmd, quoteForJobShell, quoteForPosixShell } from '../../../src/local/jobRunner/shellQuoting';

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
        const line = substituteReferences(command, { inputs: { data: { path: value } }, outputs: {} }, (path, quoting) => quoteForJobShell(path, 'linux', quoting));
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
    assert.equal(quoteForJobShell('a b', 'win32'), '^"a^ b^"');
    assert.equal(quoteForJobShell('a b', 'linux'), "'a b'");
    assert.equal(quoteForJobShell('a b', 'darwin'), "'a b'");
  });
});
