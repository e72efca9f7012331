import type { Compute, Page } from './domain';
import { mapCompute } from './mappers';
import { readSdkPage } from './paging';
import { callService } from './serviceCall';
import type { WorkspaceContext } from './workspaceContext';

/** Compute targets of one workspace (read-only; ARM, through @azure/arm-machinelearning). */
export class ComputeOperations {
  constructor(private readonly context: WorkspaceContext) {}

  list(options: { continuationToken?: string } = {}): Promise<Page<Compute>> {
    const { resourceGroup, workspaceName } = this.context.workspace;
    return readSdkPage(this.context.client.computeOperations.list(resourceGroup, workspaceName), options.continuationToken, mapCompute);
  }

  get(name: string): Promise<Compute> {
    const { resourceGroup, workspaceName } = this.context.workspace;
    return callService(async () => mapCompute(await this.context.client.computeOperations.get(resourceGroup, workspaceName, name)));
  }
}
