/**
 * The first lines of a Python script that waits (at most two minutes) until `file` exists, so a
 * test lets the run go on only once it has seen what it must see before the run ends.
 */
export function pythonWaitingFor(file: string): string[] {
  return [
    'import os, time',
    'deadline = time.time() + 120',
    `while not os.path.exists(${JSON.stringify(file)}) and time.time() < deadline:`,
    '    time.sleep(0.05)',
  ];
}
