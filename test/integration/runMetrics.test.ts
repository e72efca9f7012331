import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import type { MetricPoint } from '../../src/azure/runMetrics';
import type { WorkspaceClient } from '../../src/azure/workspaceClient';
import type { AzureMlExtensionApi } from '../../src/extension';
import type { RunMetricsPanel } from '../../src/panels/runMetricsPanel';
import type { MetricsHostMessage } from '../../src/panels/runMetricsProtocol';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { eventually, extensionApi, rows } from './treeAccess';

/** What the panel posted to its webview: each webview (after each `init`) must get every point once. */
class PostedPoints {
  readonly messages: MetricsHostMessage[] = [];
  private seen = new Set<string>();
  duplicates: string[] = [];
  points: MetricPoint[] = [];

  constructor(panel: RunMetricsPanel) {
    panel.onDidPost((message) => {
      this.messages.push(message);
      if (message.type === 'init') {
        this.seen = new Set();
        this.points = [];
      }
      if (message.type !== 'points') return;
      message.steps.forEach((step, i) => {
        const id = `${message.runId}/${message.metric}/${step}/${message.timestamps[i]}`;
        if (this.seen.has(id)) this.duplicates.push(id);
        this.seen.add(id);
        this.points.push({ step, timestamp: message.timestamps[i], value: Number(message.values[i]) });
      });
    });
  }
}

describe('Run Details in a real extension host, against the local workspace', function () {
  this.timeout(240_000);
  let local: StartedLocalWorkspace;
  let api: AzureMlExtensionApi;
  let client: WorkspaceClient;

  before(async () => {
    local = await startLocalWorkspace();
    await vscode.workspace.getConfiguration('azureml').update('local.dataFolder', local.dataDir, vscode.ConfigurationTarget.Global);
    api = await extensionApi();
    await vscode.commands.executeCommand('azureml.useLocalWorkspace');
    client = connectLocalWorkspace(local.connection).workspaceClient;
  });

  after(async () => {
    api?.runs.metricsPanels.dispose();
    await local?.dispose();
  });

  const points = (from: number, count: number): MetricPoint[] =>
    Array.from({ length: count }, (_, i) => ({ step: from + i, value: Math.exp(-(from + i) / 100), timestamp: 1_760_000_000_000 + (from + i) * 100 }));

  async function open(runId: string): Promise<{ panel: RunMetricsPanel; posted: PostedPoints }> {
    const panel = await vscode.commands.executeCommand<RunMetricsPanel>('azureml.openRunDetails', runId);
    assert.ok(panel, 'Open Run Details returns its panel');
    return { panel, posted: new PostedPoints(panel) };
  }

  it('shows points logged while the panel is open without reopening it, none twice, and stops following when the run ends', async () => {
    await client.jobs.createCommandJob({ name: 'live_metrics', command: 'sleep 600', environmentId: 'azureml:AzureML-sklearn-1.5@latest', experimentName: 'live' });
    await client.metrics.logBatch('live_metrics', { metrics: points(0, 100).map((p) => ({ key: 'loss', ...p })), params: { lr: '0.01' } });
    const { panel, posted } = await open('live_metrics');
    await eventually(async () => (posted.points.length === 100 ? true : undefined), 'the first 100 points in the webview', 60_000);

    for (const [from, count] of [[100, 50], [150, 1], [151, 300]]) {
      await client.metrics.logBatch('live_metrics', { metrics: points(from, count).map((p) => ({ key: 'loss', ...p })) });
      const expected = from + count;
      await eventually(async () => (posted.points.length >= expected ? true : undefined), `${expected} points in the webview`, 30_000);
    }
    assert.deepEqual(posted.duplicates, []);
    assert.deepEqual(posted.points.map((p) => p.step), points(0, 451).map((p) => p.step));
    assert.deepEqual(posted.points.map((p) => p.value), points(0, 451).map((p) => p.value));
    assert.deepEqual(panel.metricsOf('live_metrics')?.get('loss')?.length, 451);

    await client.jobs.cancel('live_metrics');
    await eventually(async () => (posted.messages.some((m) => m.type === 'runUpdate' && m.run.terminal) ? true : undefined), 'the run shown as ended', 60_000);
    const fetchesAtEnd = panel.fetchStats.pagesFetched;
    await client.metrics.logBatch('live_metrics', { metrics: points(451, 10).map((p) => ({ key: 'loss', ...p })) }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(panel.fetchStats.pagesFetched, fetchesAtEnd, 'an ended run is no longer polled');
  });

  it('exports the run\'s metrics as CSV (every point exact, NaN and Infinity included) and a chart as SVG or PNG, where the user chose', async () => {
    await client.jobs.createCommandJob({ name: 'export_run', command: 'echo done', environmentId: 'azureml:AzureML-sklearn-1.5@latest', experimentName: 'live' });
    const logged = points(0, 1500).map((p) => ({ key: 'loss', ...p }));
    logged[7].value = NaN;
    logged[8].value = Infinity;
    for (let i = 0; i < logged.length; i += 1000) await client.metrics.logBatch('export_run', { metrics: logged.slice(i, i + 1000) });
    const folder = mkdtempSync(path.join(os.tmpdir(), 'azml-export-'));
    const asked: string[] = [];
    api.setPrompts({
      pick: async () => assert.fail('unexpected pick'),
      pickMany: async () => assert.fail('unexpected pick'),
      input: async () => assert.fail('unexpected input'),
      pickSaveFile: async (options) => {
        asked.push(path.basename(options.defaultPath));
        return path.join(folder, path.basename(options.defaultPath));
      },
    });
    try {
      const { panel, posted } = await open('export_run');
      await eventually(async () => (posted.points.length === 1500 ? true : undefined), 'every point in the panel', 60_000);
      await panel.receive({ type: 'exportCsv' });
      const lines = readFileSync(path.join(folder, 'export_run-metrics.csv'), 'utf8').trimEnd().split('\r\n');
      assert.equal(lines.length, 1501);
      assert.equal(lines[0], 'run,metric,step,timestamp,value');
      assert.deepEqual(lines.slice(1).map((l) => l.split(',')[4]), logged.map((p) => String(p.value)));
      assert.equal(lines[8].split(',')[4], 'NaN');

      await panel.receive({ type: 'exportImage', format: 'svg', metric: 'loss', data: '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>' });
      await panel.receive({ type: 'exportImage', format: 'png', metric: 'loss', data: `data:image/png;base64,${Buffer.from('\x89PNG').toString('base64')}` });
      // A message that is not an image is refused: nothing is written.
      await panel.receive({ type: 'exportImage', format: 'svg', metric: 'loss', data: '<?xml?><svg><script>alert(1)</script></svg>' });
      assert.deepEqual(asked, ['export_run-metrics.csv', 'loss.svg', 'loss.png']);
      assert.deepEqual(readdirSync(folder).sort(), ['export_run-metrics.csv', 'loss.png', 'loss.svg'], 'no partial files left');
      assert.ok(posted.messages.some((m) => m.type === 'notice' && m.message.includes('loss.png')));
    } finally {
      api.setPrompts(undefined);
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('says plainly when a run has no metrics, and when a run does not exist (deleted), instead of a blank panel', async () => {
    await client.jobs.createCommandJob({ name: 'no_metrics', command: 'echo done', environmentId: 'azureml:AzureML-sklearn-1.5@latest', experimentName: 'live' });
    const empty = await open('no_metrics');
    const init = await eventually(async () => empty.posted.messages.find((m) => m.type === 'init'), 'the panel filled', 60_000);
    assert.ok(init.type === 'init');
    assert.deepEqual(init.runs[0].metricKeys, []);
    assert.equal(init.runs[0].problem, undefined);

    const missing = await open('run_that_was_deleted');
    const failed = await eventually(async () => missing.posted.messages.find((m) => m.type === 'failed'), 'the failure shown', 60_000);
    assert.ok(failed.type === 'failed');
    assert.match(failed.message, /run_that_was_deleted.*was not found.*it may have been deleted/);
    assert.equal(failed.retry, true);
  });

  it('comes back after a window reload: the runs named in the saved state are read anew, a deleted one shows as deleted, an unusable state closes the tab', async () => {
    await client.jobs.createCommandJob({ name: 'restored_run', displayName: 'restored-run', command: 'echo done', environmentId: 'azureml:AzureML-sklearn-1.5@latest', experimentName: 'live' });
    await client.metrics.logBatch('restored_run', { metrics: points(0, 300).map((p) => ({ key: 'loss', ...p })) });
    const workspace = api.connections.activeWorkspace;
    assert.ok(workspace);
    // What the webview kept (VS Code hands it to the serializer after the reload): view choices, the runs and their workspace.
    const saved = (runId: string, displayName = runId) => ({ xAxis: 'relative', logScale: true, smoothing: 0.5, hiddenRuns: [], differencesOnly: false, panel: { mode: 'details', runs: [{ runId, displayName }], workspace } });
    const restore = async (state: unknown): Promise<{ webviewPanel: vscode.WebviewPanel; panel?: RunMetricsPanel; posted?: PostedPoints }> => {
      const webviewPanel = vscode.window.createWebviewPanel('azureml.runMetrics', 'restored', vscode.ViewColumn.Active, { enableScripts: true });
      await api.runs.metricsSerializer.deserializeWebviewPanel(webviewPanel, state);
      const panel = api.runs.metricsPanels.all.find((p) => p.panel === webviewPanel);
      return { webviewPanel, panel, posted: panel && new PostedPoints(panel) };
    };

    const restored = await restore(saved('restored_run', 'restored-run'));
    assert.ok(restored.panel && restored.posted, 'the restored tab is a Run Details panel again');
    const posted = restored.posted;
    await eventually(async () => (posted.points.length === 300 ? true : undefined), 'every point in the restored panel', 60_000);
    const init = posted.messages.find((m) => m.type === 'init');
    assert.ok(init?.type === 'init');
    assert.equal(init.title, 'Run restored-run');
    assert.equal(restored.webviewPanel.title, 'Run restored-run', 'the tab titled as before the reload');
    assert.deepEqual(init.workspace, workspace, 'the webview is given the workspace again, to keep for the next reload');
    assert.deepEqual(posted.duplicates, []);

    const deleted = await restore(saved('run_deleted_since'));
    assert.ok(deleted.posted);
    const deletedPosted = deleted.posted;
    const failed = await eventually(async () => deletedPosted.messages.find((m) => m.type === 'failed'), 'the deleted run shown as such', 60_000);
    assert.ok(failed.type === 'failed');
    assert.match(failed.message, /run_deleted_since.*was not found.*it may have been deleted/);

    let closed = false;
    const unusable = vscode.window.createWebviewPanel('azureml.runMetrics', 'unusable', vscode.ViewColumn.Active, { enableScripts: true });
    unusable.onDidDispose(() => { closed = true; });
    await api.runs.metricsSerializer.deserializeWebviewPanel(unusable, { logScale: true, panel: { mode: 'details', runs: [] } });
    assert.equal(closed, true, 'a tab whose state names no run is closed, not left blank');
  });

  it('shows the latest value of the primary metric next to each run when azureml.runs.primaryMetric names one', async () => {
    await client.jobs.createCommandJob({ name: 'primary_run', displayName: 'primary-run', command: 'echo done', environmentId: 'azureml:AzureML-sklearn-1.5@latest', experimentName: 'primary' });
    await client.metrics.logBatch('primary_run', { metrics: [0.9, 0.5, 0.123456].map((value, step) => ({ key: 'val_loss', value, step, timestamp: 1_760_000_000_000 + step })) });
    const runRow = async () => {
      const experiment = (await rows(api.views.experiments)).find((r) => r.label === 'primary');
      return experiment ? (await rows(api.views.experiments, experiment.node)).find((r) => r.label === 'primary-run') : undefined;
    };
    api.views.experiments.refresh();
    const before = await eventually(runRow, 'the run in the Experiments view', 30_000);
    assert.doesNotMatch(String(before.item.description), /val_loss/, 'nothing shown while the setting is empty');

    await vscode.workspace.getConfiguration('azureml').update('runs.primaryMetric', 'val_loss', vscode.ConfigurationTarget.Global);
    try {
      const shown = await eventually(async () => {
        const r = await runRow();
        return r && String(r.item.description).startsWith('val_loss 0.1235 · ') ? r : undefined;
      }, 'the latest val_loss next to the run', 30_000);
      assert.match(String(shown.item.accessibilityInformation?.label), /val_loss 0\.1235/);
    } finally {
      await vscode.workspace.getConfiguration('azureml').update('runs.primaryMetric', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Compare Runs refuses fewer than 2 or more than 10 runs with one clear message', async () => {
    const job = (await client.jobs.get('no_metrics'));
    const shown: string[] = [];
    const original = vscode.window.showErrorMessage;
    (vscode.window as { showErrorMessage: unknown }).showErrorMessage = async (message: string) => {
      shown.push(message);
      return undefined;
    };
    try {
      const node = { job };
      assert.equal(await vscode.commands.executeCommand('azureml.compareRuns', node, [node]), undefined);
      assert.equal(await vscode.commands.executeCommand('azureml.compareRuns', node, Array.from({ length: 11 }, () => node)), undefined);
    } finally {
      (vscode.window as { showErrorMessage: unknown }).showErrorMessage = original;
    }
    assert.deepEqual(shown, Array(2).fill('Select between 2 and 10 runs in the Experiments view (Ctrl or Shift and click), then choose Compare Runs.'));
  });
});
