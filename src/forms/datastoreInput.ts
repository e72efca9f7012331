import type { DatastoreCredentialsInput, DatastoreInput } from '../azure/domain';
import type { DatastoreDraft } from './protocol';
import { normalizeSasToken, tagsToRecord } from './validation';

function credentialsOf(draft: DatastoreDraft): DatastoreCredentialsInput {
  switch (draft.authType) {
    case 'AccountKey': return { credentialsType: 'AccountKey', key: draft.accountKey.trim() };
    case 'Sas': return { credentialsType: 'Sas', sasToken: normalizeSasToken(draft.sasToken) };
    case 'ServicePrincipal':
      return { credentialsType: 'ServicePrincipal', tenantId: draft.tenantId.trim(), clientId: draft.clientId.trim(), clientSecret: draft.clientSecret };
    case 'None': return { credentialsType: 'None' };
  }
}

/** What the workspace API takes, from a validated draft (values trimmed, blank optional fields left out). */
export function toDatastoreInput(draft: DatastoreDraft): DatastoreInput {
  const tags = tagsToRecord(draft.tags);
  const base = {
    name: draft.name.trim(),
    accountName: draft.accountName.trim(),
    endpoint: draft.endpoint.trim(),
    protocol: draft.protocol,
    credentials: credentialsOf(draft),
    ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
    ...(Object.keys(tags).length ? { tags } : {}),
  };
  const container = draft.container.trim();
  switch (draft.datastoreType) {
    case 'AzureBlob': return { ...base, datastoreType: 'AzureBlob', containerName: container };
    case 'AzureFile': return { ...base, datastoreType: 'AzureFile', fileShareName: container };
    case 'AzureDataLakeGen2': return { ...base, datastoreType: 'AzureDataLakeGen2', filesystem: container };
  }
}
