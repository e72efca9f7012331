import * as l10n from '@vscode/l10n';
/** Human-readable numbers and times, shared by the CLI and the extension. */

/** Digit grouping and decimal sign: en-US (the CLI's) unless the extension sets VS Code's display language. */
let numberLocale = 'en-US';

/** Numbers are written as the display language writes them ("1.234" and "2,5" in Dutch); an unknown locale keeps en-US. */
export function useNumberLocale(locale: string): void {
  numberLocale = Intl.NumberFormat.supportedLocalesOf([locale]).length > 0 ? locale : 'en-US';
}

/** A whole number with the display language's digit grouping: "1,234" / "1.234". */
export function formatCount(n: number): string {
  return new Intl.NumberFormat(numberLocale).format(n);
}

/** A number with exactly `digits` decimals in the display language: "2.5" / "2,5". */
export function formatDecimal(value: number, digits: number): string {
  return new Intl.NumberFormat(numberLocale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }).format(value);
}

/**
 * A run's duration, the one way the tree, the status bar, the run log and the CLI show it:
 * whole seconds rounded down (a ticking clock never shows a second that has not passed yet).
 */
export function formatDuration(start: Date | undefined, end: Date | undefined, now: Date = new Date()): string | undefined {
  if (!start) return undefined;
  const seconds = Math.max(0, Math.floor(((end ?? now).getTime() - start.getTime()) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatDecimal(value, value >= 10 ? 0 : 1)} ${units[unit]}`;
}

/** "2026-11-21 07:47:23Z" */
export function formatTimestamp(date: Date | undefined): string | undefined {
  return date ? date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : undefined;
}

/** "5 min ago", "3 h ago", "4 d ago"; the date itself for anything older than a month. */
export function formatAge(date: Date | undefined, now: Date = new Date()): string | undefined {
  if (!date) return undefined;
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (seconds < 60) return l10n.t('just now');
  if (seconds < 3600) return l10n.t('{0} min ago', Math.floor(seconds / 60));
  if (seconds < 86400) return l10n.t('{0} h ago', Math.floor(seconds / 3600));
  if (seconds < 30 * 86400) return l10n.t('{0} d ago', Math.floor(seconds / 86400));
  return date.toISOString().slice(0, 10);
}
