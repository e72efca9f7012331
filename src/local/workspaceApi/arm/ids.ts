export const provider = 'Microsoft.MachineLearningServices';

export interface WorkspaceScope {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
}

export function resourceGroupId(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
}

export function workspaceResourceId(scope: WorkspaceScope): string {
  return `${resourceGroupId(scope.subscriptionId, scope.resourceGroup)}/providers/${provider}/workspaces/${scope.workspace}`;
}

export function storageAccountResourceId(subscriptionId: string, resourceGroup: string, accountName: string): string {
  return `${resourceGroupId(subscriptionId, resourceGroup)}/providers/Microsoft.Storage/storageAccounts/${accountName}`;
}

/** `type` strings of the resources this service serves. */
export const resourceTypes = {
  workspace: `${provider}/workspaces`,
  datastore: `${provider}/workspaces/datastores`,
  codeContainer: `${provider}/workspaces/codes`,
  codeVersion: `${provider}/workspaces/codes/versions`,
  modelContainer: `${provider}/workspaces/models`,
  modelVersion: `${provider}/workspaces/models/versions`,
  job: `${provider}/workspaces/jobs`,
  compute: `${provider}/workspaces/computes`,
} as const;

/**
 * Parses `<WS>/codes/<name>/versions/<version>` (also with an `azureml:` prefix) into its
 * parts; undefined for anything else. Segment names match case-insensitively.
 */
export function parseWorkspaceChildId(
  id: string,
  collection: string,
): { scope: WorkspaceScope; name: string; version?: string } | undefined {
  const re = new RegExp(
    `^(?:azureml:)?/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/${provider}/workspaces/([^/]+)/${collection}/([^/]+)(?:/versions/([^/]+))?/?$`,
    'i',
  );
  const m = re.exec(id);
  if (!m) return undefined;
  const result: { scope: WorkspaceScope; name: string; version?: string } = {
    scope: { subscriptionId: m[1]!, resourceGroup: m[2]!, workspace: m[3]! },
    name: m[4]!,
  };
  if (m[5] !== undefined) result.version = m[5];
  return result;
}
