import { faultKinds, type FaultSchedule } from '../support/faultProxy';

/** Sums every schedule of the suite, plus the bytes the tests compared, for one line at the end. */
const schedules: FaultSchedule[] = [];
let bytesVerified = 0;

export function trackSchedule(schedule: FaultSchedule): void {
  schedules.push(schedule);
}

export function verifiedBytes(count: number): void {
  bytesVerified += count;
}

export function suiteSummary(): string {
  const faults = Object.fromEntries(faultKinds.map((k) => [k, 0])) as Record<string, number>;
  let requests = 0;
  let retries = 0;
  let outwaited = 0;
  for (const s of schedules) {
    requests += s.counts.requests;
    retries += s.counts.retries;
    outwaited += s.counts.stallsOutwaited;
    for (const k of faultKinds) faults[k]! += s.counts.faults[k];
  }
  const total = Object.values(faults).reduce((a, b) => a + b, 0);
  const pct = requests > 0 ? ((100 * total) / requests).toFixed(1) : '0';
  return `network faults suite: ${requests} requests, ${total} faults injected (${pct}%: `
    + `${faultKinds.map((k) => `${k} ${faults[k]}`).join(', ')}), ${retries} retries, `
    + `${outwaited} stalls outwaited, ${bytesVerified} bytes verified`;
}

// Root-level: runs once, after every file of the suite.
after(() => {
  console.log(`\n${suiteSummary()}`);
});
