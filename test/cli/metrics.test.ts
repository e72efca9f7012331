/**
 * Run metrics end to end: a real job on the local workspace logs through the MLflow REST API
 * (Python's standard library, with the MLFLOW_* variables the job gets), then the client and
 * `azml metrics` / `azml compare` read every point back.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { metricHistoryPages } from '../../src/azure/metricHistory';
import type { MetricPoint } from '../../src/azure/runMetrics';
import { ensureBuilt, repoRoot } from '../support/repo';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

const steps = 2000;
const baseTime = 1_700_000_000_000;

/** The script a job runs: logs with urllib exactly what the mlflow client would send. */
const loggingScript = String.raw`
import json, os, sys, urllib.request

uri = os.environ["MLFLOW_TRACKING_URI"]
run_id = os.environ["MLFLOW_RUN_ID"]
token = os.environ["MLFLOW_TRACKING_TOKEN"]
assert os.environ["MLFLOW_EXPERIMENT_NAME"] == sys.argv[1], os.environ["MLFLOW_EXPERIMENT_NAME"]

def post(path, body):
    request = urllib.request.Request(uri + "/api/2.0/mlflow/" + path, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200, answer.status

def value(v):
    if v != v: return "NaN"
    if v in (float("inf"), float("-inf")): return "Infinity" if v > 0 else "-Infinity"
    return v

steps = int(sys.argv[2])
points = []
for step in range(steps):
    loss = float("nan") if step == 1000 else 1.0 / (step + 1)
    accuracy = float("inf") if step == 1500 else step / steps
    lr = 0.1 * 0.5 ** (step // 500)
    for key, v in (("loss", loss), ("accuracy", accuracy), ("learning_rate", lr)):
        points.append({"key": key, "value": value(v), "timestamp": str(${baseTime} + step), "step": step})
for start in range(0, len(points), 1000):
    post("runs/log-batch", {"run_id": run_id, "metrics": points[start:start + 1000]})
post("runs/log-batch", {"run_id": run_id, "params": [{"key": "learning_rate", "value": sys.argv[3]}, {"key": "max_depth", "value": sys.argv[4]}, {"key": "optimizer", "value": "adam"}]})
post("runs/set-tag", {"run_id": run_id, "key": "stage", "value": "test"})
print("logged", len(points), "points")
`;

/** What the script logs, computed the same way (IEEE doubles agree). */
function expected(key: string): MetricPoint[] {
  return Array.from({ length: steps }, (_, step) => {
    const value = key === 'loss' ? (step === 1000 ? NaN : 1 / (step + 1))
      : key === 'accuracy' ? (step === 1500 ? Infinity : step / steps)
        : 0.1 * 0.5 ** Math.floor(step / 500);
    return { step, value, timestamp: baseTime + step };
  });
}

function assertSamePoints(actual: ReadonlyArray<{ step: number; timestamp: number; value: number | string }>, want: MetricPoint[], what: string): void {
  assert.equal(actual.length, want.length, what);
  for (let i = 0; i < want.length; i++) {
    const a = actual[i]!;
    const value = typeof a.value === 'string' ? Number(a.value) : a.value;
    if (a.step !== want[i]!.step || a.timestamp !== want[i]!.timestamp || !Object.is(value, want[i]!.value)) {
      assert.fail(`${what}: point ${i} is ${JSON.stringify(a)}, expected step ${want[i]!.step} value ${want[i]!.value}`);
    }
  }
}

describe('run metrics from a local job: client, azml metrics and azml compare', function () {
  this.timeout(240_000);
  let local: StartedLocalWorkspace;
  let project: string;
  let first: string;
  let second: string;
  let silent: string;

  function azml(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    ensureBuilt();
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args, '--local', '--data', local.dataDir], {
      cwd: project, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  function submit(script: string, ...args: string[]): string {
    const result = azml('submit', script, '--follow', '--experiment', 'metrics-e2e', ...args);
    assert.equal(result.status, 0, result.stderr + result.stdout);
    return result.stdout.split('\n')[0]!;
  }

  before(async () => {
    local = await startLocalWorkspace();
    project = mkdtempSync(path.join(os.tmpdir(), 'azml-cli-metrics-'));
    writeFileSync(path.join(project, 'train.py'), loggingScript);
    writeFileSync(path.join(project, 'train_fast.py'), 'import subprocess, sys\nsubprocess.run([sys.executable, "train.py", "metrics-e2e", "2000", "0.02", "8"], check=True)\n');
    writeFileSync(path.join(project, 'train_slow.py'), 'import subprocess, sys\nsubprocess.run([sys.executable, "train.py", "metrics-e2e", "2000", "0.01", "6"], check=True)\n');
    writeFileSync(path.join(project, 'quiet.py'), 'print("no metrics here")\n');
    first = submit('train_slow.py');
    second = submit('train_fast.py');
    silent = submit('quiet.py');
  });
  after(async () => {
    await local?.dispose();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('the client reads all 3 × 2,000 points exactly, in step order, across get-history pages', async () => {
    const tracking = connectLocalWorkspace(local.connection).workspaceClient.metrics;
    const run = await tracking.getRun(first);
    assert.equal(run.status, 'FINISHED');
    assert.deepEqual(run.params, { learning_rate: '0.01', max_depth: '6', optimizer: 'adam' });
    assert.equal(run.tags['stage'], 'test');
    assert.deepEqual(Object.keys(run.metrics).sort(), ['accuracy', 'learning_rate', 'loss']);
    for (const key of ['loss', 'accuracy', 'learning_rate']) {
      const pages: MetricPoint[][] = [];
      for await (const page of metricHistoryPages(tracking, first, key, { pageSize: 300 })) pages.push(page);
      assert.equal(pages.length, 7, `${key}: 2,000 points in pages of 300`);
      assertSamePoints(pages.flat(), expected(key), key);
    }
  });

  it('azml metrics --json prints every point (NaN and Infinity as strings); --csv has the header and one line per point', () => {
    const json = azml('metrics', first, '--json', '--page-size', '450');
    assert.equal(json.status, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as { runId: string; metrics: Record<string, Array<{ step: number; timestamp: number; value: number | string }>> };
    assert.equal(parsed.runId, first);
    assert.deepEqual(Object.keys(parsed.metrics), ['accuracy', 'learning_rate', 'loss']);
    for (const key of ['loss', 'accuracy', 'learning_rate']) assertSamePoints(parsed.metrics[key]!, expected(key), `--json ${key}`);
    assert.equal(parsed.metrics['loss']![1000]!.value, 'NaN');
    assert.equal(parsed.metrics['accuracy']![1500]!.value, 'Infinity');

    const csv = azml('metrics', first, '--csv', '--metric', 'loss');
    assert.equal(csv.status, 0, csv.stderr);
    const lines = csv.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'run_id,key,step,timestamp,value');
    assert.equal(lines.length, steps + 1);
    assert.equal(lines[1], `${first},loss,0,${baseTime},1`);
    assert.equal(lines[1001], `${first},loss,1000,${baseTime + 1000},NaN`);
  });

  it('azml compare prints the params that differ and each metric\'s last, min and max per job', () => {
    const json = azml('compare', first, second, '--json');
    assert.equal(json.status, 0, json.stderr);
    const parsed = JSON.parse(json.stdout);
    assert.deepEqual(parsed.runs, [first, second]);
    assert.deepEqual(parsed.params, {
      learning_rate: { [first]: '0.01', [second]: '0.02' },
      max_depth: { [first]: '6', [second]: '8' },
    }, 'optimizer is the same in both, so it is left out');
    assert.deepEqual(parsed.metrics.loss[first], { last: 1 / steps, min: 1 / steps, max: 1, points: steps });
    assert.deepEqual(parsed.metrics.accuracy[second], { last: (steps - 1) / steps, min: 0, max: 'Infinity', points: steps });

    const table = azml('compare', first, second);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, new RegExp(`PARAM\\s+${first}\\s+${second}`));
    assert.match(table.stdout, /max_depth\s+6\s+8/);
    assert.doesNotMatch(table.stdout, /optimizer/);
    assert.match(table.stdout, /METRIC\s+JOB\s+LAST\s+MIN\s+MAX\s+POINTS/);
    assert.match(table.stdout, new RegExp(`accuracy\\s+${second}\\s+0\\.9995\\s+0\\s+Infinity\\s+2000`));
  });

  it('a job without metrics, an unknown job and a wrong metric name each get one clear answer', () => {
    const none = azml('metrics', silent);
    assert.equal(none.status, 0, none.stderr);
    assert.equal(none.stdout, `Job "${silent}" has logged no metrics.\n`);
    const noneJson = azml('metrics', silent, '--json');
    assert.deepEqual(JSON.parse(noneJson.stdout), { runId: silent, metrics: {} });
    assert.equal(azml('metrics', silent, '--csv').stdout, 'run_id,key,step,timestamp,value\n');

    const unknown = azml('metrics', 'no_such_job');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /^azml: Job "no_such_job" does not exist in this workspace: azml jobs lists them\.\n$/);
    const compareUnknown = azml('compare', first, 'no_such_job');
    assert.equal(compareUnknown.status, 1);
    assert.match(compareUnknown.stderr, /Job "no_such_job" does not exist/);

    const wrongMetric = azml('metrics', first, '--metric', 'los');
    assert.equal(wrongMetric.status, 2);
    assert.match(wrongMetric.stderr, /has no metric "los"; it has "accuracy", "learning_rate", "loss"/);
    assert.equal(azml('compare', first).status, 2);
    assert.equal(azml('metrics', first, '--json', '--csv').status, 2);
  });

  it('logs through a real mlflow client too, where one is installed', function () {
    const probe = spawnSync('python3', ['-c', 'import mlflow'], { encoding: 'utf8', timeout: 30_000 });
    if (probe.status !== 0) {
      console.log('      skipped: the mlflow Python package is not installed here (PyPI is not reachable from these machines); `pip install mlflow-skinny` runs this test');
      this.skip();
    }
    writeFileSync(path.join(project, 'with_mlflow.py'), [
      'import mlflow',
      'with mlflow.start_run():',
      '    mlflow.log_param("max_depth", 5)',
      '    for step in range(50):',
      '        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)',
      '    mlflow.log_metric("loss", float("nan"), step=50)',
      '',
    ].join('\n'));
    const job = submit('with_mlflow.py');
    const json = azml('metrics', job, '--json');
    assert.equal(json.status, 0, json.stderr);
    const loss = (JSON.parse(json.stdout) as { metrics: Record<string, Array<{ step: number; value: number | string }>> }).metrics['loss']!;
    assert.equal(loss.length, 51);
    assert.deepEqual(loss.map((p) => p.step), Array.from({ length: 51 }, (_, i) => i));
    assert.equal(loss[50]!.value, 'NaN');
  });
});
