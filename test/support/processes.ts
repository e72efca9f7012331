import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Still running: not exited, and not a zombie that a signal killed but Node has not reaped yet. */
export function isAlive(child: ChildProcess): boolean {
  try {
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
