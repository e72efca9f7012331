/** Raised for wrong command-line words: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export const targetOptionsHelp = `Target (one of):
  --local [--data <dir>]          the local workspace service (data folder: --data, else $AZML_LOCAL_DATA, else ~/.azureml-local)
  --subscription <id> --resource-group <name> --workspace <name> [--cloud AzureCloud|AzureUSGovernment|AzureChinaCloud] [--tenant <id>]
                                  an Azure ML workspace; credentials from @azure/identity (environment
                                  variables AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET, managed identity, or az login)
Output:
  --json                          machine-readable JSON instead of a table`;
