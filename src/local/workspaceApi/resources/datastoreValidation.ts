import { badRequest } from '../http/apiError';
import {
  clone, isObject, optionalObject, optionalString, optionalStringMap, requireEnum, requireObject, requireString,
  type JsonObject,
} from '../validation';

export const datastoreTypes = ['AzureBlob', 'AzureDataLakeGen1', 'AzureDataLakeGen2', 'AzureFile', 'OneLake'] as const;
export const credentialsTypes = ['AccountKey', 'Sas', 'ServicePrincipal', 'Certificate', 'None'] as const;
type CredentialsType = (typeof credentialsTypes)[number];

/** Fields each datastore type needs besides credentials. */
const requiredByType: Record<(typeof datastoreTypes)[number], string[]> = {
  AzureBlob: ['accountName', 'containerName'],
  AzureFile: ['accountName', 'fileShareName'],
  AzureDataLakeGen2: ['accountName', 'filesystem'],
  AzureDataLakeGen1: ['storeName'],
  OneLake: ['oneLakeWorkspaceName'],
};

/** The secret field of each credentials type, as listSecrets answers it. */
export const secretFieldOf: Record<Exclude<CredentialsType, 'None'>, string> = {
  AccountKey: 'key',
  Sas: 'sasToken',
  ServicePrincipal: 'clientSecret',
  Certificate: 'certificate',
};

const requiredCredentialFields: Record<CredentialsType, string[]> = {
  AccountKey: [],
  Sas: [],
  ServicePrincipal: ['tenantId', 'clientId'],
  Certificate: ['tenantId', 'clientId', 'thumbprint'],
  None: [],
};

/**
 * Validates the `properties` of a datastore PUT and returns what to store: unknown fields
 * kept, `isDefault` dropped (read-only), enum spellings canonical, storage endpoint and
 * protocol defaulted. A secret left out of an update of the same credentials type keeps
 * its stored value (GET answers never carry it, so a GET-modify-PUT must not erase it).
 */
export function validateDatastoreProperties(input: JsonObject, existing: JsonObject | undefined, endpointSuffix: string): JsonObject {
  const props = clone(input);
  delete props['isDefault'];
  const datastoreType = requireEnum(props, 'datastoreType', 'properties.datastoreType', datastoreTypes);
  props['datastoreType'] = datastoreType;
  for (const field of requiredByType[datastoreType]) requireString(props, field, `properties.${field}`);
  if (datastoreType === 'OneLake') {
    const artifact = requireObject(props['artifact'], 'properties.artifact');
    requireString(artifact, 'artifactName', 'properties.artifact.artifactName');
    requireString(artifact, 'artifactType', 'properties.artifact.artifactType');
  }
  optionalString(props, 'description', 'properties.description');
  optionalStringMap(props, 'tags', 'properties.tags');
  optionalStringMap(props, 'properties', 'properties.properties');
  if (datastoreType !== 'AzureDataLakeGen1' && datastoreType !== 'OneLake') {
    const endpoint = optionalString(props, 'endpoint', 'properties.endpoint');
    if (endpoint === undefined) props['endpoint'] = endpointSuffix;
    if (optionalString(props, 'protocol', 'properties.protocol') === undefined) {
      props['protocol'] = props['endpoint'] === endpointSuffix ? 'http' : 'https';
    }
  }
  props['credentials'] = validateCredentials(props['credentials'], existing?.['credentials']);
  return props;
}

function validateCredentials(value: unknown, existing: unknown): JsonObject {
  const credentials = requireObject(value, 'properties.credentials');
  const type = requireEnum(credentials, 'credentialsType', 'properties.credentials.credentialsType', credentialsTypes);
  credentials['credentialsType'] = type;
  for (const field of requiredCredentialFields[type]) requireString(credentials, field, `properties.credentials.${field}`);
  if (type === 'None') {
    delete credentials['secrets'];
    return credentials;
  }
  const secretField = secretFieldOf[type];
  const secrets = optionalObject(credentials['secrets'], 'properties.credentials.secrets') ?? {};
  const secretsType = optionalString(secrets, 'secretsType', 'properties.credentials.secrets.secretsType');
  if (secretsType !== undefined && secretsType.toLowerCase() !== type.toLowerCase()) {
    throw badRequest(
      `The field 'properties.credentials.secrets.secretsType' must be '${type}' for ${type} credentials.`,
      'properties.credentials.secrets.secretsType');
  }
  secrets['secretsType'] = type;
  if (secrets[secretField] === undefined || secrets[secretField] === null || secrets[secretField] === '') {
    const previous = isObject(existing) && existing['credentialsType'] === type && isObject(existing['secrets'])
      ? existing['secrets'][secretField]
      : undefined;
    if (typeof previous !== 'string') {
      throw badRequest(`The field 'properties.credentials.secrets.${secretField}' is required for ${type} credentials.`,
        `properties.credentials.secrets.${secretField}`);
    }
    secrets[secretField] = previous;
  } else if (typeof secrets[secretField] !== 'string') {
    throw badRequest(`The field 'properties.credentials.secrets.${secretField}' must be a string.`, `properties.credentials.secrets.${secretField}`);
  }
  credentials['secrets'] = secrets;
  return credentials;
}

/** The stored properties with secret values removed: `secrets: {secretsType}` only. */
export function withoutSecrets(props: JsonObject): JsonObject {
  const copy = clone(props);
  const credentials = copy['credentials'];
  if (isObject(credentials) && isObject(credentials['secrets'])) {
    credentials['secrets'] = { secretsType: credentials['secrets']['secretsType'] };
  }
  return copy;
}
