import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchLocalService } from '../../src/local/launcher';
import { ensureBuilt, repoRoot } from '../support/repo';

describe('local workspace: the Azurite bundled in dist/', function () {
  this.timeout(120000);

  it('is the Azurite dist/local.js starts, and it keeps the data in the data folder even when AZURITE_DB is set', async () => {
    ensureBuilt();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'azml-bundled-azurite-'));
    const log: string[] = [];
    try {
      const service = await launchLocalService({
        serviceScript: path.join(repoRoot, 'dist', 'local.js'),
        dataDir,
        seed: 'demo',
        // Meant for another Azurite (a SQL metadata store); the bundled one has none and must not try.
        env: { AZURITE_DB: 'mysql://nobody:nothing@127.0.0.1:1/azurite' },
        onLog: (line) => log.push(line),
      });
      try {
        assert.ok(log.includes(`azurite: starting ${path.join(repoRoot, 'dist', 'azurite.js')}`), log.join('\n'));
        assert.ok(existsSync(path.join(dataDir, 'azurite', '__azurite_db_blob__.json')), 'blob metadata is in the data folder');
        assert.ok(existsSync(path.join(dataDir, 'azurite', '__blobstorage__')), 'the seeded blobs are in the data folder');
      } finally {
        await service.stop();
      }
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
