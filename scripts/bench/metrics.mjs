// `npm run bench:metrics`: the run metrics panels against a fresh local workspace.
//  1. A run with 10 metrics × 100,000 steps: the panel's data (MetricHistoryFollower, as the
//     panel uses it): time to the first page and to every point, bytes of get-history answers
//     against the history's JSON size, points fetched twice; the webview's per-draw work
//     (smoothing + min/max downsampling of all 10 series, the same modules it bundles).
//  2. The same run in the real extension in code-server + Chromium: time from the click on the
//     run to the first chart drawn and to all 10: the first webview of a fresh browser profile, then
//     in a new window of that browser, and opened again in that window; peak RSS of the extension
//     host, the webview's JS heap.
//  3. A live run logging 50 points a second: delay from a point's log call to the panel having it
//     (posted to the webview; drawing adds one animation frame), p50/p95, duplicates, refetched points.
// A measurement, not a test: numbers vary with the machine's load.
//   node scripts/bench/metrics.mjs [--steps 100000] [--metrics 10] [--live-seconds 20] [--no-browser] [--no-live]
//        [--rounds N] [--vsix before.vsix,after.vsix]   (2: N rounds of each .vsix, alternately; medians)
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
require('../../test/support/registerTs.js');
const { startLocalWorkspace } = require('../../test/support/localWorkspace.ts');
const { connectLocalWorkspace } = require('../../src/azure/localWorkspace.ts');
const { MetricHistoryFollower } = require('../../src/core/metrics/historyFollower.ts');
const { minMaxIndices } = require('../../src/core/metrics/downsample.ts');
const { smooth } = require('../../src/core/metrics/smoothing.ts');
const { livePoll } = require('../../src/commands/runs/runMetricsCommands.ts');

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '100000' },
    metrics: { type: 'string', default: '10' },
    'live-seconds': { type: 'string', default: '20' },
    'no-browser': { type: 'boolean', default: false },
    'no-live': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
    vsix: { type: 'string' },
  },
});
const steps = Number(values.steps);
const metricCount = Number(values.metrics);
const liveSeconds = Number(values['live-seconds']);

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const ms = (n) => `${Math.round(n)} ms`;
const mib = (n) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

// Bytes of every get-history answer this process receives (the clients use Node's http).
let historyBytes = 0;
let historyRequests = 0;
const originalRequest = http.request;
http.request = function countingRequest(...args) {
  const request = originalRequest.apply(this, args);
  request.on('response', (response) => {
    if (!String(request.path).includes('/metrics/get-history')) return;
    historyRequests++;
    // Counted as the client reads it (a listener of our own would start the stream early).
    const emit = response.emit;
    response.emit = function countingEmit(event, ...args) {
      if (event === 'data') historyBytes += args[0].length;
      return emit.call(this, event, ...args);
    };
  });
  return request;
};

const t0 = 1_760_000_000_000;
const metricKeys = Array.from({ length: metricCount }, (_, i) => `metric_${String(i).padStart(2, '0')}`);
const valueOf = (k, s) => Math.exp(-s / (steps / 4)) * (1 + k / 10) + 0.01 * Math.sin(s / 50 + k);

/**
 * Clicks the run and times, from the click, the panel's start: VS Code's webview frame, the
 * panel's page and script, and (from the page's own performance marks, exact where polling for
 * the elements is not) its facts and first chart; all 10 charts by polling.
 */
async function timeOpening(page, runRow) {
  const clickedAt = Date.now();
  await runRow.click();
  const outer = page.locator('iframe.webview.ready').last();
  const frame = outer.contentFrame().locator('#active-frame').contentFrame();
  await frame.locator('h1').waitFor({ timeout: 120_000 });
  const polledPageShownMs = Date.now() - clickedAt;
  await frame.locator('.chart-card.drawn').first().waitFor({ timeout: 120_000 });
  const polledFirstChartMs = Date.now() - clickedAt;
  await frame.locator('.chart-card.drawn').nth(metricCount - 1).waitFor({ timeout: 300_000 });
  const allChartsMs = Date.now() - clickedAt;
  // VS Code's own marks in its webview frame: how long it waited for its webview service worker.
  const vscodeFrame = await outer.contentFrame().locator('body').evaluate(() => {
    const mark = (name) => performance.getEntriesByName(`webview/index.html/content/${name}`, 'mark')[0]?.startTime ?? NaN;
    return { origin: performance.timeOrigin, workerWait: mark('workerReady') - mark('started') };
  });
  const frameCreatedMs = vscodeFrame.origin - clickedAt;
  const inner = await frame.locator('body').evaluate(() => {
    const resources = performance.getEntriesByType('resource');
    const entry = resources.find((e) => e.name.includes('runMetrics.js'));
    const styles = resources.filter((e) => e.name.endsWith('.css'));
    const mark = (name) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? NaN;
    return {
      origin: performance.timeOrigin, start: entry?.startTime ?? NaN, end: entry?.responseEnd ?? NaN,
      stylesEnd: Math.max(...styles.map((e) => e.responseEnd)), factsShown: mark('azml-facts-shown'), firstChart: mark('azml-chart-drawn'),
    };
  });
  const fromOrigin = (t, polled) => (Number.isNaN(t) ? polled : inner.origin + t - clickedAt);
  return {
    frame,
    times: {
      frameCreatedMs, serviceWorkerWaitMs: vscodeFrame.workerWait, documentStartedMs: inner.origin - clickedAt, stylesLoadedMs: inner.origin + inner.stylesEnd - clickedAt,
      scriptLoadedMs: inner.origin + inner.end - clickedAt, scriptFetchMs: inner.end - inner.start,
      pageShownMs: fromOrigin(inner.factsShown, polledPageShownMs), firstChartMs: fromOrigin(inner.firstChart, polledFirstChartMs), allChartsMs,
    },
  };
}

/**
 * Opens the big run with a click in a fresh code-server and browser with the given .vsix installed;
 * times from the click (epoch ms on both sides: Chromium and this process share the clock).
 */
async function openInExtension(vsix) {
  const { startCodeServer } = await import('../vscode-host/codeServer.mjs');
  const { activityBarItem, expandView, launchBrowser, openViewContainer, openWorkbench, runCommand, waitForWorkbench } = await import('../vscode-host/browser.mjs');
  const { expandRow, viewRow } = await import('../../test/e2e/workbenchViews.mjs');
  const scratch = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'azml-bench-metrics-')));
  mkdirSync(path.join(scratch, 'project'));
  let server;
  let browser;
  try {
    server = await startCodeServer({
      folder: path.join(scratch, 'project'), vsixPaths: [vsix], testDriver: false,
      settings: { 'workbench.colorTheme': 'Light 2026', 'azureml.local.dataFolder': local.dataDir, 'azureml.local.autoConnect': true },
    });
    browser = await launchBrowser({ viewport: { width: 1500, height: 1000 } });
    const { page } = browser;
    await openWorkbench(page, server.workbenchUrl());
    await openViewContainer(page, 'Azure ML');
    await expandView(page, 'Experiments');
    await expandRow(viewRow(page, 'Experiments', 'bench-metrics'));
    const hostRss = () => {
      try {
        const out = execFileSync('ps', ['-eo', 'pid,pgid,rss,args'], { encoding: 'utf8' });
        return out.split('\n').filter((l) => l.includes('extensionHost') || l.includes('--type=extensionHost'))
          .filter((l) => l.trim().split(/\s+/)[1] === String(server.pid)).reduce((n, l) => n + Number(l.trim().split(/\s+/)[2]) * 1024, 0);
      } catch { return 0; }
    };
    let peakRss = hostRss();
    const rssBefore = peakRss;
    const rssSampler = setInterval(() => { peakRss = Math.max(peakRss, hostRss()); }, 250);
    // The user's way in: a click on the run in the Experiments view runs Open Run Details.
    const runRow = viewRow(page, 'Experiments', 'bench_big').filter({ hasText: 'Completed' });
    await runRow.waitFor({ timeout: 60_000 });
    const loadAverage = os.loadavg()[0];
    const cold = await timeOpening(page, runRow);
    // The rest of the points stream in behind the first pages; the heap is read once they have.
    await page.waitForTimeout(Math.max(5000, results.history.allMs * 1.5));
    clearInterval(rssSampler);
    const heap = await cold.frame.locator('body').evaluate(() => performance.memory?.usedJSHeapSize ?? NaN);
    // Opened again in the same window: VS Code's webview start-up (its service worker, its own
    // scripts) is done once per window, so this is what every later Run Details costs.
    await runCommand(page, 'View: Close All Editors');
    await page.locator('iframe.webview.ready').waitFor({ state: 'detached', timeout: 30_000 });
    const warm = await timeOpening(page, runRow);
    // A new window in the browser the user already has (the window reloaded; the browser keeps its
    // profile, and so VS Code's webview service worker, as a user's browser does from day to day).
    await runCommand(page, 'View: Close All Editors');
    await page.locator('iframe.webview.ready').waitFor({ state: 'detached', timeout: 30_000 });
    await page.reload({ waitUntil: 'domcontentloaded' });
    await waitForWorkbench(page);
    // The reloaded window shows the side bar it had once its views are back: open it only if not.
    const sideBar = page.locator('.part.sidebar:not(.empty)');
    await sideBar.waitFor({ state: 'visible', timeout: 15_000 }).catch(() => activityBarItem(page, 'Azure ML').click());
    await expandView(page, 'Experiments');
    if ((await runRow.count()) === 0) await expandRow(viewRow(page, 'Experiments', 'bench-metrics'));
    await runRow.waitFor({ timeout: 60_000 });
    const reloaded = await timeOpening(page, runRow);
    return {
      ...cold.times, hostRssPeak: peakRss, hostRssBefore: rssBefore, webviewHeap: heap, loadAverage,
      ...Object.fromEntries(Object.entries(warm.times).map(([k, v]) => [`again_${k}`, v])),
      ...Object.fromEntries(Object.entries(reloaded.times).map(([k, v]) => [`reloaded_${k}`, v])),
    };
  } finally {
    await browser?.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  }
}

const local = await startLocalWorkspace();
const results = {};
try {
  const { workspaceClient } = connectLocalWorkspace(local.connection);
  const client = workspaceClient;

  // ---- 1. the big history ---------------------------------------------------------------
  await client.jobs.createCommandJob({ name: 'bench_big', command: 'echo done', environmentId: 'azureml:AzureML-sklearn-1.5@latest', experimentName: 'bench-metrics' });
  let logStart = Date.now();
  let jsonBytes = 0;
  let batch = [];
  for (let s = 0; s < steps; s++) {
    for (let k = 0; k < metricCount; k++) {
      const point = { key: metricKeys[k], value: valueOf(k, s), timestamp: t0 + s * 100, step: s };
      jsonBytes += Buffer.byteLength(JSON.stringify({ key: point.key, value: point.value, timestamp: String(point.timestamp), step: String(point.step) })) + 1;
      batch.push(point);
      if (batch.length === 1000) {
        await client.metrics.logBatch('bench_big', { metrics: batch });
        batch = [];
      }
    }
  }
  if (batch.length) await client.metrics.logBatch('bench_big', { metrics: batch });
  console.log(`Logged ${metricCount} metrics × ${steps} steps (${(metricCount * steps).toLocaleString('en')} points, history JSON ${mib(jsonBytes)}) in ${ms(Date.now() - logStart)}.`);

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakHeap = heapBefore;
  const sampler = setInterval(() => { peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); }, 20);
  historyBytes = 0;
  historyRequests = 0;
  const started = performance.now();
  // As the panel does: the run (runs/get: latest value of each metric) and the job at once.
  const [run, jobReadMs] = await Promise.all([
    client.metrics.getRun('bench_big'),
    client.jobs.get('bench_big').then(() => performance.now() - started),
  ]);
  const runReadMs = performance.now() - started;
  const follower = new MetricHistoryFollower(client.metrics, 'bench_big');
  let firstPageMs;
  let longestPageGapMs = 0;
  let lastPageAt = performance.now();
  await follower.update(run, undefined, () => {
    const now = performance.now();
    firstPageMs ??= now - started;
    longestPageGapMs = Math.max(longestPageGapMs, now - lastPageAt);
    lastPageAt = now;
  });
  const allMs = performance.now() - started;
  clearInterval(sampler);
  const held = [...follower.metrics.values()].reduce((n, p) => n + p.length, 0);
  results.history = {
    points: held, runReadMs, jobReadMs, firstPageMs, allMs, bytesFetched: historyBytes, historyJsonBytes: jsonBytes, ratio: historyBytes / jsonBytes,
    requests: historyRequests, pointsFetched: follower.stats.pointsFetched, pointsFetchedTwice: follower.stats.pointsFetched - follower.stats.pointsNew,
    hostHeapGrowth: peakHeap - heapBefore,
  };
  console.log('\n1. Panel data, 10 × 100,000 points (page size 5,000):');
  console.log(`  run and job read:   ${ms(runReadMs)} (jobs.get alone ${ms(jobReadMs)})`);
  console.log(`  first page ready:   ${ms(firstPageMs)}   (the first chart can draw from here)`);
  console.log(`  every point:        ${ms(allMs)} in ${historyRequests} get-history requests; ${held.toLocaleString('en')} points held`);
  console.log(`  bytes fetched:      ${mib(historyBytes)} for ${mib(jsonBytes)} of history JSON: ${results.history.ratio.toFixed(3)}×   (target < 1.2×: ${results.history.ratio < 1.2 ? 'met' : 'NOT met'})`);
  console.log(`  fetched twice:      ${results.history.pointsFetchedTwice} points   (target 0: ${results.history.pointsFetchedTwice === 0 ? 'met' : 'NOT met'})`);
  console.log(`  host heap growth:   ${mib(results.history.hostHeapGrowth)} (peak over the start, this process)`);

  // The webview's work per draw: smoothing and downsampling every series to ~600 pixel columns.
  const drawStarted = performance.now();
  let drawn = 0;
  for (const points of follower.metrics.values()) {
    const xs = points.map((p) => p.step);
    const ys = smooth(points.map((p) => p.value), 0.6);
    drawn += minMaxIndices(xs, ys, 600).length;
  }
  results.webviewPrepareMs = performance.now() - drawStarted;
  console.log(`  webview prepare:    ${ms(results.webviewPrepareMs)} to smooth and downsample all ${metricCount} series (${drawn.toLocaleString('en')} points drawn of ${held.toLocaleString('en')})`);

  // ---- 2. in the real extension ----------------------------------------------------------
  if (!values['no-browser']) {
    const { packageExtension } = await import('../package.mjs');
    const variants = values.vsix
      ? values.vsix.split(',').map((file) => ({ label: path.basename(file, '.vsix'), vsix: path.resolve(file) }))
      : [{ label: 'this checkout', vsix: packageExtension({ reuseFresh: true }) }];
    const rounds = Number(values.rounds);
    const measured = new Map(variants.map((v) => [v.label, []]));
    console.log(`\n2. In the extension (code-server + Chromium), ${rounds} round(s) of ${variants.map((v) => v.label).join(', ')}, a fresh code-server and browser each:`);
    for (let round = 0; round < rounds; round++) {
      // Alternately, so that the machine's load affects each variant alike.
      for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
        const m = await openInExtension(variant.vsix);
        measured.get(variant.label).push(m);
        console.log(`  ${variant.label}: first chart ${ms(m.firstChartMs)}: webview frame created ${ms(m.frameCreatedMs)}, VS Code waited ${ms(m.serviceWorkerWaitMs)} for its webview service worker, its page started ${ms(m.documentStartedMs)}, styles loaded ${ms(m.stylesLoadedMs)}, script loaded ${ms(m.scriptLoadedMs)} (${ms(m.scriptFetchMs)} fetching it), facts shown ${ms(m.pageShownMs)}, all ${metricCount} charts ${ms(m.allChartsMs)}; load average ${m.loadAverage.toFixed(2)}`);
        console.log(`    in a new window of that browser: first chart ${ms(m.reloaded_firstChartMs)}: VS Code waited ${ms(m.reloaded_serviceWorkerWaitMs)} for its webview service worker, its page started ${ms(m.reloaded_documentStartedMs)}, facts shown ${ms(m.reloaded_pageShownMs)}, all ${metricCount} charts ${ms(m.reloaded_allChartsMs)}`);
        console.log(`    opened again in that window: first chart ${ms(m.again_firstChartMs)}: VS Code waited ${ms(m.again_serviceWorkerWaitMs)} for its webview service worker, its page started ${ms(m.again_documentStartedMs)}, script loaded ${ms(m.again_scriptLoadedMs)}, facts shown ${ms(m.again_pageShownMs)}, all ${metricCount} charts ${ms(m.again_allChartsMs)}`);
      }
    }
    const median = (list) => {
      const sorted = [...list].sort((a, b) => a - b);
      return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    };
    results.browser = {};
    for (const [label, list] of measured) {
      const summary = Object.fromEntries(Object.keys(list[0]).map((k) => [k, median(list.map((m) => m[k]))]));
      results.browser[label] = { rounds: list, median: summary };
      console.log(`  ${label}, medians of ${list.length}: click to first chart drawn, the first webview of a fresh browser profile ${ms(summary.firstChartMs)}   (target < 2000 ms: ${summary.firstChartMs < 2000 ? 'met' : 'NOT met'})`);
      console.log(`    click to: webview frame created ${ms(summary.frameCreatedMs)} (then VS Code waited ${ms(summary.serviceWorkerWaitMs)} for its webview service worker), its page started ${ms(summary.documentStartedMs)}, styles loaded ${ms(summary.stylesLoadedMs)}, its script loaded ${ms(summary.scriptLoadedMs)}, facts shown ${ms(summary.pageShownMs)}, first chart ${ms(summary.firstChartMs)}, all ${metricCount} charts ${ms(summary.allChartsMs)}`);
      console.log(`    in a new window of the same browser (its profile kept): first chart ${ms(summary.reloaded_firstChartMs)}   (target < 2000 ms: ${summary.reloaded_firstChartMs < 2000 ? 'met' : 'NOT met'}); VS Code waited ${ms(summary.reloaded_serviceWorkerWaitMs)} for its webview service worker, its page started ${ms(summary.reloaded_documentStartedMs)}, facts shown ${ms(summary.reloaded_pageShownMs)}, all ${metricCount} charts ${ms(summary.reloaded_allChartsMs)}`);
      console.log(`    opened again in the same window: first chart ${ms(summary.again_firstChartMs)}   (target < 2000 ms: ${summary.again_firstChartMs < 2000 ? 'met' : 'NOT met'}); its page started ${ms(summary.again_documentStartedMs)}, script loaded ${ms(summary.again_scriptLoadedMs)}, facts shown ${ms(summary.again_pageShownMs)}, all ${metricCount} charts ${ms(summary.again_allChartsMs)}`);
      console.log(`    extension host RSS ${mib(summary.hostRssBefore)} before, ${mib(summary.hostRssPeak)} peak; webview JS heap ${mib(summary.webviewHeap)} (after every point arrived); load average ${summary.loadAverage.toFixed(2)}`);
    }
  }

  // ---- 3. a live run ------------------------------------------------------------------------
  if (!values['no-live']) {
    await client.jobs.createCommandJob({ name: 'bench_live', command: 'sleep 600', environmentId: 'azureml:AzureML-sklearn-1.5@latest', experimentName: 'bench-metrics' });
    const loggedAt = new Map();
    const liveFollower = new MetricHistoryFollower(client.metrics, 'bench_live');
    const delays = [];
    let duplicates = 0;
    const seen = new Set();
    let polling = true;
    let delay = livePoll.minMs;
    // The panel's loop: runs/get, then only the new points; 0.5 s while points arrive, backing off while none do.
    const poller = (async () => {
      while (polling) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        const before = liveFollower.stats.pointsNew;
        await liveFollower.update(await client.metrics.getRun('bench_live'), undefined, (_key, added) => {
          const now = Date.now();
          for (const p of added) {
            if (seen.has(p.step)) duplicates++;
            seen.add(p.step);
            delays.push(now - loggedAt.get(p.step));
          }
        });
        delay = liveFollower.stats.pointsNew > before ? livePoll.minMs : Math.min(livePoll.maxMs, delay * 2);
      }
    })();
    historyBytes = 0;
    const total = liveSeconds * 50;
    const liveStart = Date.now();
    for (let s = 0; s < total; s++) {
      const due = liveStart + s * 20;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      loggedAt.set(s, Date.now());
      await client.metrics.logMetric('bench_live', { key: 'loss', step: s, value: Math.exp(-s / 300), timestamp: Date.now() });
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    polling = false;
    await poller;
    delays.sort((a, b) => a - b);
    results.live = {
      points: seen.size, logged: total, duplicates, p50: percentile(delays, 50), p95: percentile(delays, 95), max: delays.at(-1),
      pointsFetched: liveFollower.stats.pointsFetched, pointsFetchedTwice: liveFollower.stats.pointsFetched - liveFollower.stats.pointsNew, bytes: historyBytes,
    };
    console.log(`\n3. Live run, 50 points/s for ${liveSeconds} s (poll ${livePoll.minMs} ms, backing off to ${livePoll.maxMs} ms while idle):`);
    console.log(`  delay log → panel has it, p50 / p95 / max: ${ms(results.live.p50)} / ${ms(results.live.p95)} / ${ms(results.live.max)}   (target p95 < 1000 ms: ${results.live.p95 < 1000 ? 'met' : 'NOT met'})`);
    console.log(`  points ${seen.size} of ${total}, duplicates held ${duplicates}`);
    console.log(`  points fetched ${results.live.pointsFetched} for ${results.live.points} new`);
    console.log(`  points fetched twice: ${results.live.pointsFetchedTwice}   (target 0: ${results.live.pointsFetchedTwice === 0 ? 'met' : 'NOT met'}; get-history has no "since" and no token past its last page, so each poll re-reads that page, one point when the steps count the points)`);
    await client.jobs.cancel('bench_live').catch(() => undefined);
  }
} finally {
  await local.dispose();
}
console.log(`\n${JSON.stringify({ bench: 'metrics', steps, metrics: metricCount, results })}`);
