/** Characters a POSIX shell never treats specially in a word. */
const posixSafe = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One argument for `sh -c` / `bash -c`: left as it is when it holds nothing the shell would
 * interpret (so `"${{inputs.x}}"` in a command still works for ordinary paths), else in single
 * quotes, a `'` inside written as `'\''`.
 */
export function quoteForPosixShell(value: string): string {
  if (posixSafe.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

// Every character cmd.exe gives a meaning to, plus the quotes themselves.
const cmdMetaCharacters = /([()\][%!^"`<>&|;, *?])/g;

/**
 * One argument for `cmd /d /s /c "<command>"`: quoted for the program's own argument parsing
 * (CommandLineToArgvW rules: backslashes before a quote doubled), then every cmd
 * metacharacter, the quotes included, escaped with `^` so that cmd passes it on literally
 * (`%` too, which cmd would expand even inside quotes).
 */
export function quoteForCmd(value: string): string {
  let quoted = value.replace(/(\\*)"/g, '$1$1\\"');
  quoted = quoted.replace(/(\\*)$/, '$1$1');
  quoted = `"${quoted}"`;
  return quoted.replace(cmdMetaCharacters, '^$1');
}

/** Where in a POSIX shell command a word stands: outside quotes, or inside '…' or "…" the command opened. */
export type PosixQuoting = 'none' | 'single' | 'double';

/** The quoting in force at `offset` of a POSIX shell command, as the shell reads it up to there. */
export function posixQuotingAt(command: string, offset: number): PosixQuoting {
  let state: PosixQuoting = 'none';
  for (let i = 0; i < offset; i++) {
    const c = command[i];
    if (state === 'single') {
      if (c === "'") state = 'none';
    } else if (c === '\\') {
      i++;
    } else if (state === 'double') {
      if (c === '"') state = 'none';
    } else if (c === "'") {
      state = 'single';
    } else if (c === '"') {
      state = 'double';
    }
  }
  return state;
}

/**
 * One argument for a POSIX shell where the command put it: on its own (see quoteForPosixShell);
 * inside "…", with the four characters the shell still interprets there escaped; inside '…',
 * with each ' closing, escaped and reopening the quote.
 */
export function quoteForPosixShellAt(value: string, quoting: PosixQuoting): string {
  if (quoting === 'double') return value.replace(/[\\$`"]/g, '\\$&');
  if (quoting === 'single') return value.replace(/'/g, `'\\''`);
  return quoteForPosixShell(value);
}

/** The quoting for the shell the job runner runs commands with on this platform. */
export function quoteForJobShell(value: string, platform: NodeJS.Platform = process.platform, quoting: PosixQuoting = 'none'): string {
  return platform === 'win32' ? quoteForCmd(value) : quoteForPosixShellAt(value, quoting);
}
