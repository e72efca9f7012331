import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { ShareServiceClient, StorageSharedKeyCredential as FileSharedKeyCredential } from '@azure/storage-file-share';
import { devStorageAccount } from './devStorageAccount';
import { asWorkspaceService } from './serviceStorageAccess';
import type { StorageKeyAccess } from './storageKeyAccess';

export interface LocalStorageEndpoints {
  blobEndpoint: string;
  fileEndpoint: string;
  /** The data folder's account key (storageKeyFile.ts). */
  accountKey: string;
  /** How the service's own clients get in (the bearer token when key access is disabled). */
  access?: StorageKeyAccess;
}

export interface StorageTargets {
  blobContainers: string[];
  fileShares: string[];
}

function blobService(endpoints: LocalStorageEndpoints): BlobServiceClient {
  const client = new BlobServiceClient(endpoints.blobEndpoint,
    new StorageSharedKeyCredential(devStorageAccount.name, endpoints.accountKey));
  return endpoints.access ? asWorkspaceService(client, endpoints.access, 'blob', endpoints.blobEndpoint) : client;
}

function shareService(endpoints: LocalStorageEndpoints): ShareServiceClient {
  const client = new ShareServiceClient(endpoints.fileEndpoint,
    new FileSharedKeyCredential(devStorageAccount.name, endpoints.accountKey));
  return endpoints.access ? asWorkspaceService(client, endpoints.access, 'file', endpoints.fileEndpoint) : client;
}

/**
 * Creates the containers and shares the workspace's datastores point at (if missing). The calls
 * stop when `signal` aborts; without one they get 30 seconds, so a stalled storage fails the caller.
 */
export async function createLocalStorageTargets(
  endpoints: LocalStorageEndpoints, targets: StorageTargets, signal: AbortSignal = AbortSignal.timeout(30_000),
): Promise<void> {
  const blobs = blobService(endpoints);
  const shares = shareService(endpoints);
  const inTime = async (service: string, endpoint: string, name: string, create: () => Promise<unknown>): Promise<void> => {
    try {
      await create();
    } catch (error) {
      if (!signal.aborted) throw error;
      throw new Error(`The local ${service} (${endpoint}) did not answer in time while creating '${name}'.`);
    }
  };
  await Promise.all([
    ...targets.blobContainers.map((name) => inTime('blob service', endpoints.blobEndpoint, name,
      () => blobs.getContainerClient(name).createIfNotExists({ abortSignal: signal }))),
    ...targets.fileShares.map((name) => inTime('file service', endpoints.fileEndpoint, name,
      () => shares.getShareClient(name).createIfNotExists({ abortSignal: signal }))),
  ]);
}

/** A deterministic CSV of plausible card transactions. */
function transactionsCsv(rows: number, seed: number): string {
  const lines = ['transaction_id,amount,merchant_category,hour,is_foreign,label'];
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const categories = ['grocery', 'travel', 'electronics', 'restaurants', 'fuel', 'online'];
  for (let i = 0; i < rows; i++) {
    const fraud = next() < 0.03 ? 1 : 0;
    lines.push([
      `tx-${seed}-${i}`, (next() * (fraud ? 2400 : 180) + 1).toFixed(2),
      categories[Math.floor(next() * categories.length)], Math.floor(next() * 24), next() < 0.1 ? 1 : 0, fraud,
    ].join(','));
  }
  return `${lines.join('\n')}\n`;
}

const demoBlobFiles: ReadonlyArray<[string, () => string]> = [
  ['datasets/credit-card-transactions/README.md', () =>
    '# Credit card transactions\n\nSynthetic transactions for the fraud-detection demo. `label` is 1 for fraud.\n'],
  ['datasets/credit-card-transactions/train.csv', () => transactionsCsv(2000, 1)],
  ['datasets/credit-card-transactions/validation.csv', () => transactionsCsv(400, 2)],
  ['datasets/credit-card-transactions/test.csv', () => transactionsCsv(400, 3)],
  ['datasets/product-images/labels.csv', () =>
    'image,label\nimg_0001.jpg,mug\nimg_0002.jpg,lamp\nimg_0003.jpg,mug\nimg_0004.jpg,chair\n'],
  ['datasets/product-images/classes.json', () => JSON.stringify(['chair', 'lamp', 'mug'], null, 2)],
  ['datasets/product-images/train/img_0001.jpg', () => 'placeholder image bytes 0001'],
  ['datasets/product-images/train/img_0002.jpg', () => 'placeholder image bytes 0002'],
  ['datasets/product-images/val/img_0003.jpg', () => 'placeholder image bytes 0003'],
  ['datasets/product-images/val/img_0004.jpg', () => 'placeholder image bytes 0004'],
  ['models/fraud-classifier/1/MLmodel', () =>
    'flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n  sklearn:\n    sklearn_version: 1.5.1\n'],
];

const demoShareFiles: ReadonlyArray<[string, () => string]> = [
  ['notebooks/explore-transactions.ipynb', () => JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 })],
  ['notebooks/README.md', () => '# Notebooks\n\nShared notebooks for the team.\n'],
  ['config/training.yaml', () => 'learning_rate: 0.01\nepochs: 20\nbatch_size: 256\n'],
];
const demoShareEmptyDirectories = ['scratch'];

/** Puts demo files into the default blob and file datastores, once per data folder. */
export async function seedDemoStorage(endpoints: LocalStorageEndpoints, targets: StorageTargets, markerDir: string): Promise<void> {
  const marker = path.join(markerDir, '.demo-storage-seeded');
  if (await fs.stat(marker).then(() => true, () => false)) return;

  const container = blobService(endpoints).getContainerClient(targets.blobContainers[0]!);
  await Promise.all(demoBlobFiles.map(([name, content]) => {
    const body = content();
    return container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body));
  }));

  const share = shareService(endpoints).getShareClient(targets.fileShares[0]!);
  const directories = new Set<string>(demoShareEmptyDirectories);
  for (const [name] of demoShareFiles) {
    const parts = name.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) directories.add(parts.slice(0, i).join('/'));
  }
  for (const directory of [...directories].sort()) await share.getDirectoryClient(directory).createIfNotExists();
  await Promise.all(demoShareFiles.map(([name, content]) => {
    const body = Buffer.from(content());
    return share.rootDirectoryClient.getFileClient(name).uploadData(body);
  }));

  await fs.mkdir(markerDir, { recursive: true });
  await fs.writeFile(marker, new Date().toISOString());
}
