import { randomUUID } from 'node:crypto';
import { wsPattern, workspaceFromParams, type ApiContext } from '../context';
import { resourceTypes, storageAccountResourceId } from '../arm/ids';
import { queryValue } from '../http/requestContext';
import type { RouteDefinition } from '../http/router';
import { sendJson } from '../http/respond';
import { codeUploadContainer } from '../storage/layout';
import type { StorageNeeded } from '../storage/storageNeeded';
import {
  assetVersionPattern, checkAssetName, optionalEnum, optionalObject, optionalString, requireName, requireString,
} from '../validation';
import { AssetRegistry, type AssetKind } from './assets';

const uploadSasLifetimeMs = 24 * 60 * 60 * 1000;

export const codeKind: AssetKind = {
  segment: 'codes',
  label: 'code',
  containerType: resourceTypes.codeContainer,
  versionType: resourceTypes.codeVersion,
  collections: (data) => data.codes,
  validateVersion(props) {
    requireString(props, 'codeUri', 'properties.codeUri');
  },
  immutableFields: ['codeUri'],
  // `hash` finds snapshots with the same content under any name (how clients reuse uploads).
  selectVersions(ctx, all, name) {
    const hash = queryValue(ctx, 'hash')?.toLowerCase();
    if (!hash) return all.filter((v) => v.name === name);
    const hashVersion = queryValue(ctx, 'hashVersion');
    return all.filter((v) => {
      const bag = (v.properties['properties'] ?? {}) as Record<string, unknown>;
      const storedHash = typeof bag['hash_sha256'] === 'string' ? bag['hash_sha256'].toLowerCase() : undefined;
      return storedHash === hash && (!hashVersion || bag['hash_version'] === hashVersion);
    });
  },
};

/** Code containers and versions, plus startPendingUpload (a SAS URL for the snapshot upload). */
export function codeRoutes(api: ApiContext, storageNeeded: StorageNeeded): RouteDefinition[] {
  const registry = new AssetRegistry(api, codeKind);
  return [
    ...registry.routes(),
    {
      method: 'POST', pattern: `${wsPattern}/codes/{name}/versions/{version}/startPendingUpload`,
      handler: async (ctx) => {
        workspaceFromParams(api, ctx.params);
        checkAssetName('code', ctx.params['name']!);
        requireName('code version', ctx.params['version']!, assetVersionPattern,
          'it must start with a letter or digit and contain only letters, digits, \'.\', \'-\' and \'_\'.');
        const body = optionalObject(ctx.body, 'body') ?? {};
        const pendingUploadType = optionalEnum(body, 'pendingUploadType', 'pendingUploadType', ['None', 'TemporaryBlobReference'] as const)
          ?? 'TemporaryBlobReference';
        const pendingUploadId = optionalString(body, 'pendingUploadId', 'pendingUploadId') ?? randomUUID();
        const container = codeUploadContainer(randomUUID());
        // It changes no state: nothing to hold the state lock for while the storage works.
        ctx.afterCommit(async () => {
          await storageNeeded({ blobContainers: [container], fileShares: [] }, 'No upload location was handed out.');
          const { subscriptionId, resourceGroup, storage } = api.options;
          sendJson(ctx.res, 200, {
            blobReferenceForConsumption: {
              blobUri: api.sas.containerUrl(container),
              storageAccountArmId: storageAccountResourceId(subscriptionId, resourceGroup, storage.accountName),
              credential: { credentialType: 'SAS', sasUri: api.sas.containerUploadUrl(container, uploadSasLifetimeMs) },
            },
            pendingUploadId,
            pendingUploadType,
          });
        });
      },
    },
  ];
}
