import * as l10n from '@vscode/l10n';
import { quoteForCmd, quoteForPosixShell } from '../../core/shellWords';

/** A place in a command where the local runner can't tell how the shell would read a path. */
export class QuotingError extends Error {}

/** Where in a POSIX shell command a word stands: outside quotes, inside '…' or "…" the command opened, or in a # comment. */
export type PosixQuoting = 'none' | 'single' | 'double' | 'comment';

/** A place in a POSIX shell command: its quoting, inside how many `…` (each takes the \ off \\, \$ and \` once more). */
export interface PosixPlace {
  quoting: PosixQuoting;
  backquotes: number;
}

// What the shell is reading at a point: 'none' for commands (the command itself, (…), $(…)); a
// path is refused inside the constructs named by their syntax (an earlier ${{…}} reference opens and closes a ${…}).
type Frame = PosixQuoting | '$((…))' | '${…}' | "$'…'";

/** Where `offset` of a POSIX shell command stands, as the shell reads it up to there; QuotingError where that can't be told. */
function posixPlaceAt(command: string, offset: number): PosixPlace {
  const frames: Frame[] = ['none'];
  let escaped = -1; // the last character a backslash escaped: a # after it starts no comment
  let hereDocument = false;
  for (let i = 0; i < offset; i++) {
    const c = command[i]!;
    const next = command[i + 1];
    const frame = frames[frames.length - 1]!;
    if (frame === 'single' || frame === 'comment') {
      if (c === (frame === 'single' ? "'" : '\n')) frames.pop();
    } else if (c === '\\') {
      escaped = ++i;
      if (i === offset) throw new QuotingError(l10n.t('a backslash escapes it. Remove the backslash.'));
    } else if (frame === "$'…'") {
      if (c === "'") frames.pop();
    } else if (c === '`') {
      // The shell first finds the closing ` and takes one \ off \\, \$, \` (and \" inside "…"), then reads what is left as a command.
      const end = closingBackquote(command, i + 1);
      if (end < offset) {
        i = end;
        continue;
      }
      const inner = command.slice(i + 1, offset).replace(frame === 'double' ? /\\([\\$`"])/g : /\\([\\$`])/g, '$1');
      const place = posixPlaceAt(inner, inner.length);
      quotingIn(frames);
      return { quoting: place.quoting, backquotes: place.backquotes + 1 };
    } else if (c === '$' && next === '(' && command[i + 2] === '(') {
      frames.push('$((…))', '$((…))'); // one frame per parenthesis, so that )) closes it
      i += 2;
    } else if (c === '$' && next === '(') {
      frames.push('none');
      i++;
    } else if (c === '$' && next === '{') {
      frames.push('${…}');
      i++;
    } else if (frame === 'double') {
      if (c === '"') frames.pop();
    } else if (c === '"') {
      frames.push('double');
    } else if (c === "'") {
      frames.push('single');
    } else if (c === '$' && next === "'") {
      frames.push("$'…'");
      i++;
    } else if (c === '(') {
      frames.push(frame);
    } else if (c === ')' || (c === '}' && frame === '${…}')) {
      if (frames.length > 1) frames.pop();
    } else if (frame === 'none') {
      if (c === '#' && (i === 0 || (/[\s;&|(<>]/.test(command[i - 1]!) && escaped !== i - 1))) frames.push('comment');
      else if (c === '\n' && hereDocument) throw new QuotingError(l10n.t('it comes after a here-document (<<), where the local workspace can\'t tell how the shell would read a path.'));
      else if (command.startsWith('<<<', i)) i += 2;
      else if (command.startsWith('<<', i)) hereDocument = true;
    }
  }
  return { quoting: quotingIn(frames), backquotes: 0 };
}

function closingBackquote(command: string, from: number): number {
  for (let i = from; i < command.length; i++) {
    if (command[i] === '\\') i++;
    else if (command[i] === '`') return i;
  }
  return command.length;
}

function quotingIn(frames: readonly Frame[]): PosixQuoting {
  const construct = frames.find((frame) => frame.startsWith('$'));
  if (construct) throw new QuotingError(l10n.t('it stands inside {0}, where the local workspace can\'t quote a path. Move it out of there.', construct));
  return frames[frames.length - 1] as PosixQuoting;
}

/**
 * One argument for a POSIX shell where the command put it: on its own (see quoteForPosixShell);
 * inside "…", with the four characters the shell still interprets there escaped; inside '…',
 * with each ' closing, escaped and reopening the quote; in a comment, kept on its line. Inside
 * `…`, each \ $ ` is escaped once more for every pair around it.
 */
function quoteForPosixShellAt(value: string, { quoting, backquotes }: PosixPlace): string {
  let quoted = quoting === 'double' ? value.replace(/[\\$`"]/g, '\\$&')
    : quoting === 'single' ? value.replace(/'/g, `'\\''`)
      : quoting === 'comment' ? value.replace(/[\r\n]/g, ' ')
        : quoteForPosixShell(value);
  for (let i = 0; i < backquotes; i++) quoted = quoted.replace(/[\\$`]/g, '\\$&');
  return quoted;
}

/** Whether `offset` of a cmd.exe command stands inside "…" the command opened (outside them, ^ escapes the next character). */
function cmdQuotedAt(command: string, offset: number): boolean {
  let quoted = false;
  for (let i = 0; i < offset; i++) {
    if (command[i] === '"') quoted = !quoted;
    else if (command[i] === '^' && !quoted) i++;
  }
  return quoted;
}

/**
 * One argument for cmd.exe where the command put it: on its own (see quoteForCmd); inside "…"
 * the command wrote, as it is, since there only " and % would still change it (refused), and
 * trailing backslashes doubled so that they don't escape the closing quote for the program.
 */
function quoteForCmdAt(value: string, quoted: boolean): string {
  if (!quoted) return quoteForCmd(value);
  if (/["%\r\n]/.test(value)) {
    throw new QuotingError(l10n.t('the path {0} holds " or % or a line break, which cmd.exe changes inside the double quotes around the reference. Remove those quotes from the command; the local workspace quotes the path itself.', value));
  }
  return value.replace(/(\\+)$/, '$1$1');
}

/** The path `value` quoted for where it stands at `offset` of `command`, for the shell the job runner uses on `platform`. */
export function quotePathAt(command: string, offset: number, value: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? quoteForCmdAt(value, cmdQuotedAt(command, offset)) : quoteForPosixShellAt(value, posixPlaceAt(command, offset));
}
