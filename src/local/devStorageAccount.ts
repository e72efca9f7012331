/**
 * The local workspace's one storage account. It keeps the name of Azurite's development account,
 * which endpoints and tools expect; its key is the data folder's own (storageKeyFile.ts).
 */
export const devStorageAccount = {
  name: 'devstoreaccount1',
} as const;
