import * as l10n from '@vscode/l10n';
import * as path from 'node:path';

export type LocalTarget = { ok: true; localPath: string } | { ok: false; reason: string };

/**
 * Where a remote file (its name relative to the downloaded folder) may be written under
 * `localRoot`. Refuses anything that could land elsewhere or collide: `..` and `.` segments,
 * absolute names, backslashes (a separator on Windows, and for some storage tools), drive
 * letters, empty segments, control characters and names too long for a local file system. The result is also checked to lie inside
 * the root after resolution.
 */
export function localPathForRemote(localRoot: string, remoteRelative: string): LocalTarget {
  const reason = unsafeRemoteNameReason(remoteRelative);
  if (reason) return { ok: false, reason };
  const root = path.resolve(localRoot);
  const localPath = path.resolve(root, ...remoteRelative.split('/'));
  if (!isInside(root, localPath)) return { ok: false, reason: l10n.t('it would be written outside the chosen folder') };
  return { ok: true, localPath };
}

/**
 * Where a remote name that stands for one file or folder (a job, a run output, a datastore) may
 * go in `localRoot`: as localPathForRemote, and a "/" (another folder level) is refused too.
 */
export function localPathForRemoteName(localRoot: string, name: string): LocalTarget {
  if (name.includes('/')) return { ok: false, reason: l10n.t('the name contains "/"') };
  return localPathForRemote(localRoot, name);
}

/** Control characters (C0 and DEL): invisible in listings and terminals, refused in any name. */
export const controlCharacter = /[\u0000-\u001f\u007f]/;

/** Device names Windows reserves in every folder, with or without an extension ("nul.txt" too). */
const windowsDeviceName = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * What Windows can't take in a file or folder name, or takes as something else: a ":" names a
 * stream of another file (`a.txt:x` writes into a.txt), device names reach the device, and a
 * trailing dot or space is dropped (`a.` becomes `a`, another file's name).
 */
function windowsNameReason(segment: string): string | undefined {
  if (segment.includes(':')) return l10n.t('the name contains ":", which names a stream of another file on Windows');
  if (/[<>"|?*]/.test(segment)) return l10n.t('the name contains a character Windows does not allow in file names (< > " | ? *)');
  if (windowsDeviceName.test(segment)) return l10n.t('the name is a device name Windows reserves ({0})', segment);
  if (/[. ]$/.test(segment)) return l10n.t('a file or folder name in it ends with a dot or a space, which Windows drops');
  return undefined;
}

/**
 * Why a remote relative name is unsafe to write locally, or undefined. On Windows (`platform`),
 * names it would take for a stream, a device or another file are refused too.
 */
export function unsafeRemoteNameReason(name: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (name === '') return l10n.t('the name is empty');
  if (name.includes('\\')) return l10n.t('the name contains a backslash');
  if (name.startsWith('/')) return l10n.t('the name is an absolute path');
  if (/^[A-Za-z]:/.test(name) || name.split('/').some((s) => /^[A-Za-z]:$/.test(s))) return l10n.t('the name contains a drive letter');
  if (controlCharacter.test(name)) return l10n.t('the name contains control characters');
  const segments = name.split('/');
  if (segments.some((s) => s === '..')) return l10n.t('the name contains ".."');
  if (segments.some((s) => s === '.')) return l10n.t('the name contains "."');
  if (segments.some((s) => s === '')) return l10n.t('the name contains an empty folder name ("//")');
  if (name.length > 1024) return l10n.t('the name is longer than 1,024 characters');
  // Local file systems take at most 255 bytes per file or folder name.
  if (segments.some((s) => Buffer.byteLength(s) > 255)) return l10n.t('a file or folder name in it is longer than 255 bytes');
  if (platform === 'win32') {
    for (const segment of segments) {
      const reason = windowsNameReason(segment);
      if (reason) return reason;
    }
  }
  return undefined;
}

/** Whether `candidate` is `root` or lies below it (both absolute). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  if (relative === '') return true;
  return !path.isAbsolute(relative) && relative.split(path.sep)[0] !== '..';
}
