import * as l10n from '@vscode/l10n';
import type {
  ListViewType, ModelContainer, ModelContainerInput, ModelVersion, ModelVersionInput, Page,
} from './domain';
import { mapModelContainer, mapModelVersion, toSdkModelContainer, toSdkModelVersion } from './mappers';
import { AzureMlError, toAzureMlError } from './errors';
import { readSdkPage } from './paging';
import { callService } from './serviceCall';
import type { WorkspaceContext } from './workspaceContext';

export interface ModelListOptions {
  continuationToken?: string;
  listViewType?: ListViewType;
}

/** A 404 for a model's versions: the model itself does not exist. */
function modelNotFound(error: unknown, name: string): unknown {
  const e = toAzureMlError(error);
  return e.isNotFound ? new AzureMlError(l10n.t('Model "{0}" does not exist in this workspace.', name), 404, 'ModelNotFound') : error;
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

  /** A page of the model's versions; a model that does not exist is a ModelNotFound error, not an empty list. */
  async listVersions(name: string, options: ModelListOptions = {}): Promise<Page<ModelVersion>> {
    const list = this.context.client.modelVersions.list(this.rg, this.ws, name, {
      ...(options.listViewType ? { listViewType: options.listViewType } : {}),
    });
    try {
      return await readSdkPage(list, options.continuationToken, (v) => mapModelVersion(v, name));
    } catch (error) {
      throw modelNotFound(error, name);
    }
  }

  /**
   * The newest version of a model, or undefined when the model does not exist yet (the service
   * answers 404 ModelNotFound): how a registration finds whether this is the first version.
   */
  async latestVersion(name: string): Promise<ModelVersion | undefined> {
    const list = this.context.client.modelVersions.list(this.rg, this.ws, name, { orderBy: 'createdtime desc', top: 1 });
    try {
      return (await readSdkPage(list, undefined, (v) => mapModelVersion(v, name))).items[0];
    } catch (error) {
      if (toAzureMlError(error).isNotFound) return undefined;
      throw error;
    }
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
