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

/** The quoting for the shell the job runner runs commands with on this platform. */
export function quoteForJobShell(value: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? quoteForCmd(value) : quoteForPosixShell(value);
}
