// `npm run bench:runs`: submit-to-first-log-line time, display delay of log lines (median, p95)
// and bytes fetched by the tailer versus log size, against a fresh local workspace.
// A measurement, not a test: numbers vary with the machine's load.
//   node scripts/bench/runs.mjs [--seconds 20] [--interval-ms 100] [--runs 1]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
require('../../test/support/registerTs.js');
const { startLocalWorkspace } = require('../../test/support/localWorkspace.ts');
const { connectLocalWorkspace } = require('../../src/azure/localWorkspace.ts');
const { scriptJobDraft } = require('../../src/core/jobSpec/scriptJob.ts');
const { defaultEnvironmentId } = require('../../src/core/jobSpec/curatedEnvironments.ts');
const { RunLogTailer, defaultRunLogSchedule } = require('../../src/core/runLogTailer.ts');
const { snapshotTransfer } = require('../../src/core/snapshot/snapshotTransfer.ts');
const { submitJob } = require('../../src/core/submitJob.ts');

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '20' }, 'interval-ms': { type: 'string', default: '100' }, runs: { type: 'string', default: '1' } },
});
const seconds = Number(values.seconds);
const intervalMs = Number(values['interval-ms']);
const runs = Number(values.runs);

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

const ms = (n) => `${Math.round(n)} ms`;

const project = mkdtempSync(path.join(os.tmpdir(), 'azml-bench-runs-'));
const count = Math.round((seconds * 1000) / intervalMs);
writeFileSync(path.join(project, 'ticker.py'), [
  'import time',
  `for i in range(${count}):`,
  '    print(f"{time.time():.6f} line {i:05d} " + "x" * 40, flush=True)',
  `    time.sleep(${intervalMs / 1000})`,
].join('\n'));

console.log(`Fresh local workspace; script prints a timestamped line every ${intervalMs} ms for ${seconds} s (${count} lines).`);
console.log(`Tailer schedule: logs ${defaultRunLogSchedule.logMinMs} ms ×${defaultRunLogSchedule.factor} up to ${defaultRunLogSchedule.logMaxMs} ms; `
  + `RunDetails ${defaultRunLogSchedule.detailsMinMs} ms ×${defaultRunLogSchedule.factor} up to ${defaultRunLogSchedule.detailsMaxMs} ms `
  + `(at most ${defaultRunLogSchedule.detailsWhileOutputMs} ms while output arrives); both snap back on change.`);
const local = await startLocalWorkspace();
const results = [];
try {
  const { workspaceClient } = connectLocalWorkspace(local.connection);
  for (let run = 1; run <= runs; run++) {
    const draft = scriptJobDraft(project, { experimentName: 'bench-runs', environmentId: defaultEnvironmentId, command: 'python ticker.py' });
    const t0 = Date.now();
    const { job } = await submitJob({ client: workspaceClient, draft, transfer: snapshotTransfer, nameStem: 'ticker' });
    const submittedAt = Date.now();
    const delays = [];
    const seen = new Set();
    let firstLineAt;
    let duplicates = 0;
    const statuses = [];
    const tailer = new RunLogTailer({
      runId: job.name,
      source: workspaceClient.runHistory,
      listener: {
        onStatus: ({ status }) => statuses.push(`${status}@${Date.now() - t0}ms`),
        onLines: (lines) => {
          const shownAt = Date.now();
          firstLineAt ??= shownAt;
          for (const line of lines) {
            const match = /^(\d+\.\d+) line (\d+)/.exec(line);
            if (!match) continue;
            if (seen.has(match[2])) duplicates++;
            seen.add(match[2]);
            delays.push(shownAt - Number(match[1]) * 1000);
          }
        },
      },
    });
    const summary = await tailer.follow();
    delays.sort((a, b) => a - b);
    const result = {
      run, job: job.name, status: summary.status,
      submitMs: submittedAt - t0,
      submitToFirstLineMs: firstLineAt === undefined ? undefined : firstLineAt - t0,
      lines: seen.size, expectedLines: count, duplicates,
      delayMedianMs: percentile(delays, 50), delayP95Ms: percentile(delays, 95), delayMaxMs: delays.at(-1),
      bytesFetched: summary.bytesFetched, logBytes: summary.logBytes, fetchedRatio: summary.bytesFetched / summary.logBytes,
      requests: summary.requests, statuses,
    };
    results.push(result);
    console.log(`\nRun ${run}: ${job.name} ${summary.status}; statuses ${statuses.join(' → ')}`);
    console.log(`  submit (snapshot + PUT):       ${ms(result.submitMs)}`);
    console.log(`  submit to first log line:      ${ms(result.submitToFirstLineMs ?? NaN)}`);
    console.log(`  display delay median / p95 / max: ${ms(result.delayMedianMs)} / ${ms(result.delayP95Ms)} / ${ms(result.delayMaxMs)}   (target p95 < 1500 ms: ${result.delayP95Ms < 1500 ? 'met' : 'NOT met'})`);
    console.log(`  lines shown ${result.lines} of ${count}, duplicates ${duplicates}`);
    console.log(`  bytes fetched ${summary.bytesFetched} for a ${summary.logBytes}-byte log: ${result.fetchedRatio.toFixed(3)}×   (target < 1.2×: ${result.fetchedRatio < 1.2 ? 'met' : 'NOT met'})`);
    console.log(`  requests: ${summary.requests.details} RunDetails, ${summary.requests.logReads} log reads`);
  }
} finally {
  await local.dispose();
  rmSync(project, { recursive: true, force: true });
}
console.log(`\n${JSON.stringify({ bench: 'runs', seconds, intervalMs, results })}`);
