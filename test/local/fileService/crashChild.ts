// Child process for the crash test: starts the service on AZML_TEST_ROOT, uploads files, reports
// each acknowledged upload on stdout, then waits to be killed (never closing the service).
import { startFileService } from '../../../src/local/fileService';
import { clientFor } from './harness';

async function main(): Promise<void> {
  const accountKey = process.env['AZML_TEST_KEY']!;
  const service = await startFileService({ rootDir: process.env['AZML_TEST_ROOT']!, accountName: 'devstoreaccount1', accountKey });
  const share = clientFor(service.url, accountKey).getShareClient('crash');
  await share.create();
  await share.getDirectoryClient('kept').create();
  for (let i = 0; i < 20; i++) {
    await share.getDirectoryClient('kept').getFileClient(`file-${i}.txt`).uploadData(Buffer.from(`content ${i}`));
  }
  process.stdout.write('ready\n');
  setInterval(() => undefined, 1000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
