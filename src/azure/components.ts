import type { ComponentContainer, ListViewType, Page } from './domain';
import { mapComponentContainer } from './mappers';
import { allItems, readSdkPage } from './paging';
import type { WorkspaceContext } from './workspaceContext';

export interface ComponentListOptions {
  continuationToken?: string;
  listViewType?: ListViewType;
}

/** Components (pipeline steps) of one workspace (ARM, through @azure/arm-machinelearning). */
export class ComponentOperations {
  constructor(private readonly context: WorkspaceContext) {}

  list(options: ComponentListOptions = {}): Promise<Page<ComponentContainer>> {
    const { resourceGroup, workspaceName } = this.context.workspace;
    const list = this.context.client.componentContainers.list(resourceGroup, workspaceName, {
      ...(options.listViewType ? { listViewType: options.listViewType } : {}),
    });
    // The SDK's model of a component container has the same shape as a model container's.
    return readSdkPage(list, options.continuationToken, (c) => mapComponentContainer(c));
  }

  /** Every component, one page at a time as the caller iterates. */
  listAll(): AsyncGenerator<ComponentContainer> {
    return allItems((continuationToken) => this.list({ continuationToken }));
  }
}
