import type {
  ListViewType, ModelContainer, ModelContainerInput, ModelVersion, ModelVersionInput, Page,
} from './domain';
import { mapModelContainer, mapModelVersion, toSdkModelContainer, toSdkModelVersion } from './mappers';
import { readSdkPage } from './paging';
import { callService } from './serviceCall';
import type { WorkspaceContext } from './workspaceContext';

export interface ModelListOptions {
  continuationToken?: string;
  listViewType?: ListViewType;
}

/** Registered models (containers) and their versions (ARM, through @azure/arm-machinelearning). */
export class ModelOperations {
  constructor(private readonly context: WorkspaceContext) {}

  private get rg(): string {
    return this.context.workspace.resourceGroup;
  }
  private get ws(): string {
    return this.context.workspace.workspaceName;
  }

  list(options: ModelListOptions = {}): Promise<Page<ModelContainer>> {
    const list = this.context.client.modelContainers.list(this.rg, this.ws, {
      ...(options.listViewType ? { listViewType: options.listViewType } : {}),
    });
    return readSdkPage(list, options.continuationToken, mapModelContainer);
  }

  get(name: string): Promise<ModelContainer> {
    return callService(async () => mapModelContainer(await this.context.client.modelContainers.get(this.rg, this.ws, name)));
  }

  createOrUpdate(name: string, input: ModelContainerInput = {}): Promise<ModelContainer> {
    return callService(async () => mapModelContainer(
      await this.context.client.modelContainers.createOrUpdate(this.rg, this.ws, name, toSdkModelContainer(input))));
  }

  /** Deletes the model with all its versions. */
  delete(name: string): Promise<void> {
    return callService(() => this.context.client.modelContainers.delete(this.rg, this.ws, name));
  }

  listVersions(name: string, options: ModelListOptions = {}): Promise<Page<ModelVersion>> {
    const list = this.context.client.modelVersions.list(this.rg, this.ws, name, {
      ...(options.listViewType ? { listViewType: options.listViewType } : {}),
    });
    return readSdkPage(list, options.continuationToken, (v) => mapModelVersion(v, name));
  }

  getVersion(name: string, version: string): Promise<ModelVersion> {
    return callService(async () =>
      mapModelVersion(await this.context.client.modelVersions.get(this.rg, this.ws, name, version), name));
  }

  createOrUpdateVersion(name: string, version: string, input: ModelVersionInput): Promise<ModelVersion> {
    return callService(async () => mapModelVersion(
      await this.context.client.modelVersions.createOrUpdate(this.rg, this.ws, name, version, toSdkModelVersion(input)),
      name));
  }

  deleteVersion(name: string, version: string): Promise<void> {
    return callService(() => this.context.client.modelVersions.delete(this.rg, this.ws, name, version));
  }
}
