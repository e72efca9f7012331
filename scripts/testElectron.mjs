// `npm run test:electron`: the integration suite (out/integration, one extension host per test
// file) through @vscode/test-electron's runTests(). With VSCODE_HOST_DOWNLOAD=1 runTests()
// downloads and launches real VS Code; otherwise it launches the code-server shim (see
// test/runInElectron.mjs). Build first: scripts/build.mjs and scripts/buildTests.mjs.
import { globSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExtensionTests } from '../test/runInElectron.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const testsDir = path.join(root, 'out', 'integration');
const files = globSync('*.test.js', { cwd: testsDir }).sort();
if (files.length === 0) {
  console.error(`No integration suites in ${testsDir}: run node scripts/buildTests.mjs first.`);
  process.exit(1);
}

let failedFiles = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  const code = await runExtensionTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(testsDir, 'index.js'),
    env: { AZML_TEST_SKIP_BUILD: '1', AZML_TEST_FILE: file },
  });
  console.log(`runTests() resolved ${code} for ${file}`);
  if (code !== 0) failedFiles++;
}
console.log(`\n${files.length - failedFiles} of ${files.length} integration files passed under runTests().`);
process.exitCode = failedFiles > 0 ? 1 : 0;
