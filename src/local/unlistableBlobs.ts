import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { unstorableBlobNameReason } from './blobGateway';

interface StoredBlob {
  container: string;
  name: string;
}

/** Azurite's blob metadata, as it persists it (LokiJS). */
const azuriteBlobDb = '__azurite_db_blob__.json';

/**
 * Blobs stored before the gateway refused their names (control characters): Azurite answers 500
 * to every listing of a folder that holds one. Read from Azurite's own metadata file, while it is not running.
 */
export async function findUnlistableBlobs(azuriteLocation: string, accountName: string): Promise<StoredBlob[]> {
  let db: { collections?: Array<{ name?: string; data?: Array<{ accountName?: string; containerName?: string; name?: string }> }> };
  try {
    db = JSON.parse(await fs.readFile(path.join(azuriteLocation, azuriteBlobDb), 'utf8')) as typeof db;
  } catch {
    return [];
  }
  const found = new Map<string, StoredBlob>();
  for (const doc of db.collections?.find((c) => c.name === '$BLOBS_COLLECTION$')?.data ?? []) {
    if (doc.accountName !== accountName || typeof doc.containerName !== 'string' || typeof doc.name !== 'string') continue;
    if (unstorableBlobNameReason(doc.name)) found.set(`${doc.containerName}/${doc.name}`, { container: doc.containerName, name: doc.name });
  }
  return [...found.values()];
}

/** The name with every character listing cannot carry written as `%XX` (or `%uXXXX`). */
export function listableName(name: string): string {
  return [...name].map((ch) => {
    if (!unstorableBlobNameReason(ch)) return ch;
    const code = ch.charCodeAt(0);
    return code < 0x100 ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : `%u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }).join('');
}

/**
 * Renames such blobs (copy, then delete) so that their folders can be listed again; nothing is
 * deleted before its copy exists. Answers one line per blob for the log. Each blob has `timeoutMs`
 * (a copy inside one Azurite takes moments): a stalled Azurite does not hold up the service's start.
 */
export async function renameUnlistableBlobs(
  blobs: readonly StoredBlob[], blobEndpoint: string, credential: StorageSharedKeyCredential, timeoutMs = 60_000,
): Promise<string[]> {
  const lines: string[] = [];
  for (const blob of blobs) {
    const container = new ContainerClient(`${blobEndpoint}/${encodeURIComponent(blob.container)}`, credential);
    const source = container.getBlobClient(blob.name);
    let target = listableName(blob.name);
    const abortSignal = AbortSignal.timeout(timeoutMs);
    try {
      for (let n = 2; await container.getBlobClient(target).exists({ abortSignal }); n++) target = `${listableName(blob.name)} (${n})`;
      const poller = await container.getBlobClient(target).beginCopyFromURL(source.url, { abortSignal });
      await Promise.race([poller.pollUntilDone(), new Promise<never>((_, reject) => {
        abortSignal.addEventListener('abort', () => {
          poller.stopPolling();
          reject(abortSignal.reason as Error);
        }, { once: true });
      })]);
      await source.delete({ deleteSnapshots: 'include', abortSignal });
      lines.push(`renamed blob ${JSON.stringify(`${blob.container}/${blob.name}`)} to ${JSON.stringify(`${blob.container}/${target}`)}: Azurite cannot list a name with a control character`);
    } catch (error) {
      lines.push(`could not rename blob ${JSON.stringify(`${blob.container}/${blob.name}`)}, whose name Azurite cannot list: ${(error as Error).message}`);
    }
  }
  return lines;
}
