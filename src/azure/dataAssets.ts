import type { AssetContainer, Page } from './domain';
import { mapAssetContainer } from './mappers';
import { readSdkPage } from './paging';
import type { WorkspaceContext } from './workspaceContext';

/** Registered data assets (containers; ARM, through @azure/arm-machinelearning). */
export class DataAssetOperations {
  constructor(private readonly context: WorkspaceContext) {}

  list(options: { continuationToken?: string } = {}): Promise<Page<AssetContainer>> {
    const { resourceGroup, workspaceName } = this.context.workspace;
    return readSdkPage(this.context.client.dataContainers.list(resourceGroup, workspaceName), options.continuationToken, mapAssetContainer);
  }
}
