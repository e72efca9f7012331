import type { TokenCredential } from '@azure/core-auth';
import type { Cloud } from '../azure/cloud';
import type { ResourceManagerClient } from '../azure/resourceManagerClient';
import type { WorkspaceClient } from '../azure/workspaceClient';
import type { LocalWorkspaceConnection } from '../local/discovery';
import type { ActiveWorkspace, Connection, SubscriptionListing } from './connection';
import type { AzureModules } from './loadAzureModules';

/** The local workspace service, found through its discovery file. */
export class LocalConnection implements Connection {
  readonly kind = 'local';
  readonly cloud: Cloud;
  private readonly credential: TokenCredential;
  private readonly manager: ResourceManagerClient;

  constructor(readonly service: LocalWorkspaceConnection, readonly dataDir: string, sdk: AzureModules) {
    const { cloud, credential } = sdk.connectLocalWorkspace(service);
    this.cloud = cloud;
    this.credential = credential;
    this.manager = new sdk.ResourceManagerClient(cloud, credential);
  }

  async listSubscriptions(): Promise<SubscriptionListing> {
    const page = await this.manager.listSubscriptions();
    return {
      subscriptions: page.items.map((s) => ({ ...s, tenantId: s.tenantId ?? this.service.tenantId })),
      failures: [],
      loading: [],
    };
  }

  listAllSubscriptions(): Promise<SubscriptionListing> {
    return this.listSubscriptions();
  }

  resourceManager(): ResourceManagerClient {
    return this.manager;
  }

  workspaceClient(workspace: ActiveWorkspace): WorkspaceClient {
    return this.manager.workspaceClient({
      subscriptionId: workspace.subscriptionId,
      resourceGroup: workspace.resourceGroup,
      workspaceName: workspace.workspaceName,
    });
  }

  userCredential(): TokenCredential {
    return this.credential;
  }
}
