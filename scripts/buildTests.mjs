// Bundles the suites that run inside the VS Code extension host into out/integration/.
import * as esbuild from 'esbuild';
import { globSync, writeFileSync } from 'node:fs';

await esbuild.build({
  entryPoints: ['test/integration/index.ts', ...globSync('test/integration/**/*.test.ts')],
  outdir: 'out/integration',
  outbase: 'test/integration',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode', 'mocha'],
  sourcemap: 'inline',
  logLevel: 'warning',
  banner: { js: 'const __importMetaUrl = require("url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__importMetaUrl' },
});

// Code of src/ that a suite calls itself (not through a command) loads the SDK layer from next to
// its bundle, as the extension does from dist/: this hands it the extension's own, already loaded.
writeFileSync('out/integration/azureModules.js', "module.exports = require('../../dist/azureModules.js');\n");
