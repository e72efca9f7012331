// Installs the real storage clients that test/local/fileShareClients.test.ts and the upload bench
// drive: Debian's azure-cli (`az`; about 70 s and 690 MB) and AzCopy from npm (a few seconds).
// CI runs it; elsewhere the az tests skip with a line saying how to install it.
// Idempotent and silent when both are there.
//
//   node scripts/peers/install.mjs
import { ensureDebianPackages } from '../vscode-host/install.mjs';
import { azcopyBinary, azcopyVersion } from './azcopy.mjs';

const log = (line) => console.log(line);
try {
  ensureDebianPackages(['azure-cli'], log);
  if (!azcopyBinary({ log })) throw new Error(`AzCopy could not be installed from npm (@azure-tools/azcopy-linux@${azcopyVersion}).`);
} catch (error) {
  console.error(`peers install failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
