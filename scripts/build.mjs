// Bundles the extension, the CLI and the local workspace service into dist/ with esbuild.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

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

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  const result = await esbuild.build(options);
  const outputs = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js'));
  for (const [file, info] of outputs) console.log(`${file} ${(info.bytes / 1024).toFixed(0)} KiB`);
}
