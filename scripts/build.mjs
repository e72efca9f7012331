// Bundles the extension, the CLI and the local workspace service into dist/ with esbuild.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// @azure/storage-common's ESM build calls createRequire(import.meta.url); in a CommonJS
// bundle import.meta.url is undefined, so derive it from __filename.
const importMetaUrlShim = {
  banner: { js: 'const __importMetaUrl = require("url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__importMetaUrl' },
};

const entryPoints = {
  cli: 'src/cli/main.ts',
  local: 'src/local/main.ts',
};
if (existsSync('src/extension.ts')) {
  entryPoints.extension = 'src/extension.ts';
  // Loaded by the extension on first use (src/connection/loadAzureModules.ts), not at activation.
  entryPoints.azureModules = 'src/connection/azureModules.ts';
}

const options = {
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  metafile: true,
  ...importMetaUrlShim,
};

// Azurite (blob, queue and table in one process), bundled so the installed extension needs no
// npm: dist/local.js starts it as a child process, so nothing else loads it. Two parts are left
// out: the SQL metadata store (only used with AZURITE_DB, which the local workspace never passes)
// and Application Insights (telemetry, always disabled with --disableTelemetry); together they
// are most of Azurite's size.
const leftOutOfAzurite = {
  name: 'left-out-of-azurite',
  setup(build) {
    build.onResolve({ filter: /^applicationinsights$/ }, () => ({ path: 'applicationinsights', namespace: 'left-out' }));
    build.onResolve({ filter: /\/SqlBlobServer$/ }, () => ({ path: 'SqlBlobServer', namespace: 'left-out' }));
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, ({ path }) => ({
      loader: 'js',
      contents: path === 'SqlBlobServer'
        ? 'exports.default = class { constructor() { throw new Error("The bundled Azurite has no SQL metadata store: unset AZURITE_DB."); } };'
        : 'module.exports = {};',
    }));
  },
};
const azuriteOptions = {
  entryPoints: { azurite: 'node_modules/azurite/dist/src/azurite.js' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Database drivers Sequelize would load by name; unreachable with the SQL store left out.
  external: ['pg', 'pg-hstore', 'pg-native', 'sqlite3', 'better-sqlite3', 'mariadb', 'oracledb', 'ibm_db', '@sap/hana-client', 'snowflake-sdk'],
  plugins: [leftOutOfAzurite],
  // Minified in every build: it is third-party code nobody steps through, and a third of the size.
  minify: true,
  logLevel: 'warning',
  metafile: true,
};

// The webview scripts (src/webview, DOM only: the registration forms, the run metrics panels): browser bundles in media/webview/.
const webviewOptions = {
  entryPoints: { datastoreForm: 'src/webview/datastoreForm.ts', modelForm: 'src/webview/modelForm.ts', runMetrics: 'src/webview/runMetrics.ts' },
  outdir: 'media/webview',
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  metafile: true,
};

// The webviews load codicons from media/ (their only resource root), copied from the package.
function copyCodicons() {
  mkdirSync('media/codicons', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `media/codicons/${file}`);
}
copyCodicons();
// uPlot's stylesheet, loaded by the run metrics panels as a resource (their CSP allows no inline style).
copyFileSync('node_modules/uplot/dist/uPlot.min.css', 'media/uPlot.min.css');
// A production build leaves no source maps of an earlier development build behind for packaging.
if (production) rmSync('media/webview', { recursive: true, force: true });

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  await (await esbuild.context(webviewOptions)).watch();
  await esbuild.build(azuriteOptions);
} else {
  const results = await Promise.all([esbuild.build(options), esbuild.build(webviewOptions), esbuild.build(azuriteOptions)]);
  const outputs = results.flatMap((result) => Object.entries(result.metafile.outputs)).filter(([f]) => f.endsWith('.js'));
  for (const [file, info] of outputs) console.log(`${file} ${(info.bytes / 1024).toFixed(0)} KiB`);
}
