import * as assert from 'node:assert/strict';
import type { MetricPoint } from '../../src/azure/runMetrics';
import { chartSvg } from '../../src/core/metrics/chartSvg';
import { compareParams } from '../../src/core/metrics/compareParams';
import { minMaxIndices } from '../../src/core/metrics/downsample';
import { metricsCsv } from '../../src/core/metrics/metricsCsv';
import { mergePoints } from '../../src/core/metrics/series';
import { smooth } from '../../src/core/metrics/smoothing';
import * as protocol from '../../src/panels/runMetricsProtocol';

const point = (step: number, value: number, timestamp = 1_700_000_000_000 + step): MetricPoint => ({ step, value, timestamp });

describe('run metrics: series, downsampling, compare, CSV and SVG', () => {
  it('merges pages into step order and drops a point fetched twice (same step and timestamp)', () => {
    const series: MetricPoint[] = [];
    assert.deepEqual(mergePoints(series, [point(0, 1), point(1, 2), point(2, 3)]).map((p) => p.step), [0, 1, 2]);
    const added = mergePoints(series, [point(1, 2), point(2, 3), point(3, 4)]);
    assert.deepEqual(added.map((p) => p.step), [3]);
    // The same step logged again later is another point; an earlier step arriving late goes in its place.
    mergePoints(series, [point(2, 9, 1_800_000_000_000), { step: -1, value: 0, timestamp: 1 }]);
    assert.deepEqual(series.map((p) => [p.step, p.value]), [[-1, 0], [0, 1], [1, 2], [2, 3], [2, 9], [3, 4]]);
  });

  it('downsamples 100,000 points to a few per pixel column and keeps every spike, gap and both ends', () => {
    const n = 100_000;
    const xs = Float64Array.from({ length: n }, (_, i) => i);
    const ys = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 5000));
    ys[31_337] = 50;
    ys[70_001] = -50;
    ys[50_000] = NaN;
    ys[60_000] = Infinity;
    const kept = minMaxIndices(xs, ys, 800);
    assert.ok(kept.length <= 800 * 4 + 2, `${kept.length} points kept`);
    for (const i of [0, n - 1, 31_337, 70_001, 50_000, 60_000]) assert.ok(kept.includes(i), `index ${i} kept`);
    assert.deepEqual(kept, [...kept].sort((a, b) => a - b));
    assert.equal(new Set(kept).size, kept.length);
    // Short series are drawn as they are.
    assert.deepEqual(minMaxIndices([0, 1, 2], [1, 2, 3], 800), [0, 1, 2]);
  });

  it('smooths with a debiased moving average and lets NaN through without blanking the curve', () => {
    assert.deepEqual(smooth([1, 2, 3], 0), [1, 2, 3]);
    const smoothed = smooth([10, NaN, 10, 10], 0.6);
    assert.equal(smoothed[0], 10);
    assert.ok(Number.isNaN(smoothed[1]));
    assert.ok(Math.abs(smoothed[3] - 10) < 1e-9);
  });

  it('lines up params of several runs and marks the ones that differ (a missing param differs)', () => {
    const rows = compareParams([{ lr: '0.1', epochs: '10' }, { lr: '0.01', epochs: '10' }, { lr: '0.1', epochs: '10', seed: '1' }]);
    assert.deepEqual(rows.map((r) => [r.key, r.differs]), [['epochs', false], ['lr', true], ['seed', true]]);
    assert.deepEqual(rows[2].values, [undefined, undefined, '1']);
  });

  it('writes every point exactly to CSV, NaN and Infinity spelled as MLflow does, formula-like names defused', () => {
    const csv = metricsCsv([{ runId: 'run,1', metrics: { loss: [point(0, 0.1 + 0.2), point(1, NaN)], '=cmd': [point(0, -Infinity)] } }]);
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], 'run,metric,step,timestamp,value');
    assert.equal(lines[1], `"run,1",'=cmd,0,${new Date(1_700_000_000_000).toISOString()},-Infinity`);
    assert.equal(lines[2].split(',').at(-1), '0.30000000000000004');
    assert.equal(lines[3].split(',').at(-1), 'NaN');
  });

  it('draws an SVG with one path per unbroken stretch of each series, escaped labels, and no script', () => {
    const svg = chartSvg({
      title: 'loss <train>', xLabel: 'Step', logY: false, width: 600, height: 300,
      xRange: [0, 3], yRange: [0, 4], foreground: '#000', background: '#fff', gridColor: '#ccc',
      series: [{ label: 'run "a"', color: '#f00', xs: [0, 1, 2, 3], ys: [1, 2, NaN, 4] }, { label: 'b', color: '#00f', xs: [0, 3], ys: [0, 4] }],
    });
    assert.match(svg, /^<\?xml/);
    assert.ok(svg.includes('loss &#60;train&#62;'));
    assert.equal(svg.match(/<path /g)?.length, 3);
    assert.ok(!/<script/i.test(svg));
  });

  it('draws an SVG the panel accepts for export whatever the run and metric are named', () => {
    const svg = chartSvg({
      title: 'javascript: eval', xLabel: 'Step', logY: false, width: 600, height: 300,
      xRange: [0, 1], yRange: [0, 1], foreground: '#000', background: '#fff', gridColor: '#ccc',
      series: [{ label: 'eval only=bn', color: '#f00', xs: [0, 1], ys: [0, 1] }],
    });
    assert.ok(protocol.parseMetricsWebviewMessage({ type: 'exportImage', format: 'svg', metric: 'javascript: eval', data: svg }));
  });
});

describe('run metrics panel messages', () => {
  it('accepts only well-formed messages from the webview; an SVG with script or a PNG that is not one is refused', () => {
    assert.deepEqual(protocol.parseMetricsWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.equal(protocol.parseMetricsWebviewMessage({ type: 'deleteRun' }), undefined);
    assert.equal(protocol.parseMetricsWebviewMessage('ready'), undefined);
    const svg = '<?xml version="1.0"?><svg></svg>';
    assert.ok(protocol.parseMetricsWebviewMessage({ type: 'exportImage', format: 'svg', metric: 'loss', data: svg }));
    assert.equal(protocol.parseMetricsWebviewMessage({ type: 'exportImage', format: 'svg', metric: 'loss', data: `${svg}<script>alert(1)</script>` }), undefined);
    assert.equal(protocol.parseMetricsWebviewMessage({ type: 'exportImage', format: 'svg', metric: 'loss', data: '<?xml?><svg onload="x()"/>' }), undefined);
    assert.equal(protocol.parseMetricsWebviewMessage({ type: 'exportImage', format: 'png', metric: 'loss', data: 'file:///etc/passwd' }), undefined);
    assert.equal(protocol.parseMetricsWebviewMessage({ type: 'exportImage', format: 'gif', metric: 'loss', data: 'data:image/png;base64,' }), undefined);
  });

  it('accepts only well-formed messages from the host, and carries NaN and ±Infinity as MLflow spells them', () => {
    const values = [1, NaN, Infinity, -Infinity].map(protocol.toWire);
    assert.deepEqual(values, [1, 'NaN', 'Infinity', '-Infinity']);
    const points = { type: 'points', runId: 'r', metric: 'm', steps: [0, 1, 2, 3], timestamps: [1, 2, 3, 4], values };
    assert.ok(protocol.parseMetricsHostMessage(JSON.parse(JSON.stringify(points))));
    assert.ok(Number.isNaN(protocol.fromWire('NaN')) && protocol.fromWire('-Infinity') === -Infinity);
    assert.equal(protocol.parseMetricsHostMessage({ ...points, steps: [0, 1] }), undefined);
    assert.equal(protocol.parseMetricsHostMessage({ ...points, values: [1, 2, 3, 'oops'] }), undefined);
    assert.equal(protocol.parseMetricsHostMessage({ type: 'init', mode: 'details', title: 't', runs: [{ runId: 'r' }] }), undefined);
  });

  it('restores a panel after a reload only from a saved state that names its runs and workspace, and keeps nothing else from it', () => {
    const workspace = { connectionKind: 'azure', tenantId: 't', subscriptionId: 's', resourceGroup: 'rg', workspaceName: 'ws' };
    const saved = { logScale: true, panel: { mode: 'compare', runs: [{ runId: 'a', displayName: 'A' }, { runId: 'b' }], workspace: { ...workspace, accountKey: 'secret' } } };
    assert.deepEqual(protocol.parseSavedPanel(saved), { mode: 'compare', runs: [{ runId: 'a', displayName: 'A' }, { runId: 'b' }], workspace });
    assert.equal(protocol.parseSavedPanel({ logScale: true }), undefined, 'saved by a version that kept no runs');
    assert.equal(protocol.parseSavedPanel({ panel: { mode: 'details', runs: [{ runId: 'a' }, { runId: 'b' }] } }), undefined, 'Run Details shows one run');
    assert.equal(protocol.parseSavedPanel({ panel: { mode: 'compare', runs: Array.from({ length: 11 }, (_, i) => ({ runId: `r${i}` })) } }), undefined);
    assert.equal(protocol.parseSavedPanel({ panel: { mode: 'details', runs: [{ runId: '' }] } }), undefined);
    assert.equal(protocol.parseSavedPanel({ panel: { mode: 'details', runs: [{ runId: 'a' }], workspace: { connectionKind: 'other' } } }), undefined);
  });
});
