/**
 * The shell a job's command runs with: bash on Azure compute (Linux) and for the local workspace
 * on Linux and macOS; cmd.exe for the local workspace on Windows.
 */
export type CommandShell = 'posix' | 'cmd';

/** The shell that will run a job's command; the local workspace runs it on this machine, so `platform` is this machine's. */
export function jobCommandShell(onLocalWorkspace: boolean, platform: NodeJS.Platform = process.platform): CommandShell {
  return onLocalWorkspace && platform === 'win32' ? 'cmd' : 'posix';
}

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

/** Characters neither cmd.exe nor the program's argument parsing treats specially. */
const cmdSafe = /^[A-Za-z0-9_@+:./\\-]+$/;

// What cmd.exe still reads inside "…": % expands, ! too with delayed expansion, " ends the quotes.
const cmdLiveInQuotes = /["%!]/;

/**
 * One argument for cmd.exe as a person would write it, for a command they may edit: as it is
 * when nothing in it is special; in plain "…" when cmd would leave all of it alone there
 * (& | < > ( ) ^ and spaces are literal inside quotes); else quoteForCmd, whose ^ escapes also
 * carry % ! and ". Undefined for a line break or another control character, which cmd.exe
 * reads as the end of the command or mangles however it is quoted.
 */
export function readableCmdWord(value: string): string | undefined {
  if (/[\x00-\x1f]/.test(value)) return undefined;
  if (cmdSafe.test(value)) return value;
  if (cmdLiveInQuotes.test(value)) return quoteForCmd(value);
  // Trailing backslashes doubled, else the program would read the last one as escaping the closing quote.
  return `"${value.replace(/(\\+)$/, '$1$1')}"`;
}
