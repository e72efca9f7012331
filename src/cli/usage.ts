/** Raised for wrong command-line words: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export const targetOptionsHelp = `Target (one of):
  --local [--data <dir>]          the local workspace service (data folder: --data, else $AZML_LOCAL_DATA, else ~/.azureml-local)
  --subscription <id> --resource-group <name> --workspace <name> [--cloud AzureCloud|AzureUSGovernment|AzureChinaCloud] [--tenant <id>]
                                  an Azure ML workspace; credentials from @azure/identity (environment
                                  variables AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET, managed identity, or az login),
                                  or a bearer token for Resource Manager in $AZML_ACCESS_TOKEN (automation; never printed)
  --cloud-config <file>           instead of --cloud: a custom cloud (Azure Stack Hub) described in JSON: resourceManagerEndpoint,
                                  storageEndpointSuffix, and optionally name, studioUrl, mlServiceHostSuffixes, authorityHost,
                                  resourceManagerAudience (see README)
Output:
  --json                          machine-readable JSON instead of a table`;
