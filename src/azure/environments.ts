import * as l10n from '@vscode/l10n';
import type { EnvironmentContainer as SdkEnvironmentContainer } from '@azure/arm-machinelearning';
import type { Page } from './domain';
import { AzureMlError } from './errors';
import { readSdkPage } from './paging';
import { callService } from './serviceCall';
import type { WorkspaceContext } from './workspaceContext';

/** A workspace environment (the container; its versions are `<id>/versions/<v>`). */
export interface EnvironmentContainer {
  id: string;
  name: string;
  description?: string;
  latestVersion?: string;
}

function mapEnvironmentContainer(raw: SdkEnvironmentContainer): EnvironmentContainer {
  const container: EnvironmentContainer = { id: raw.id ?? '', name: raw.name ?? '' };
  if (raw.properties?.description) container.description = raw.properties.description;
  if (raw.properties?.latestVersion) container.latestVersion = raw.properties.latestVersion;
  return container;
}

/** The workspace's own environments (ARM, through @azure/arm-machinelearning). */
export class EnvironmentOperations {
  constructor(private readonly context: WorkspaceContext) {}

  list(options: { continuationToken?: string } = {}): Promise<Page<EnvironmentContainer>> {
    const { resourceGroup, workspaceName } = this.context.workspace;
    return readSdkPage(
      this.context.client.environmentContainers.list(resourceGroup, workspaceName),
      options.continuationToken,
      mapEnvironmentContainer);
  }

  /** The latest version of a workspace environment; a clear error when it has none or does not exist. */
  async latestVersion(name: string): Promise<string> {
    const { resourceGroup, workspaceName } = this.context.workspace;
    let container: EnvironmentContainer;
    try {
      container = await callService(async () =>
        mapEnvironmentContainer(await this.context.client.environmentContainers.get(resourceGroup, workspaceName, name)));
    } catch (error) {
      if ((error as AzureMlError).status === 404) {
        throw new AzureMlError(l10n.t('The environment "{0}" was not found in workspace "{1}": register it there first, or use a curated one ("azureml://registries/azureml/environments/<name>/labels/latest").',
          name, workspaceName), 404, 'EnvironmentNotFound');
      }
      throw error;
    }
    if (!container.latestVersion) {
      throw new AzureMlError(l10n.t('The environment "{0}" has no versions yet: register a version, or name one that has.', name), undefined, 'EnvironmentHasNoVersions');
    }
    return container.latestVersion;
  }
}
