import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface RunningAzurite {
  accountName: string;
  accountKey: string;
  blobEndpoint: string;
  stop(): Promise<void>;
}

/** Starts Azurite's blob service on a free loopback port with an account of our own. */
export async function startAzuriteBlob(): Promise<RunningAzurite> {
  const location = await fs.mkdtemp(path.join(os.tmpdir(), 'azurite-wsapi-'));
  const accountName = 'wsapitest';
  const accountKey = randomBytes(64).toString('base64');
  const main = require.resolve('azurite/dist/src/blob/main.js');
  const child: ChildProcess = spawn(process.execPath, [
    main, '--blobHost', '127.0.0.1', '--blobPort', '0', '--location', location, '--disableTelemetry', '--silent', '--skipApiVersionCheck',
  ], { env: { ...process.env, AZURITE_ACCOUNTS: `${accountName}:${accountKey}` }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });

  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Azurite did not start: ${output}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with ${code}: ${output}`));
    });
  });

  return {
    accountName,
    accountKey,
    blobEndpoint: `http://127.0.0.1:${port}/${accountName}`,
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await exited;
      await fs.rm(location, { recursive: true, force: true });
    },
  };
}
