import type { Workspace } from '../../azure/domain';
import type { CliCommand } from '../command';
import { printItems } from '../output';
import { collectPages } from '../../core/pages';

export const workspacesCommand: CliCommand = {
  name: 'workspaces',
  summary: 'List workspaces (of --subscription, or of every subscription you can reach)',
  usage: 'azml workspaces [--resource-group RG] [--json] (--local | [--subscription S] [--cloud C] [--tenant T])',
  options: {},
  needsWorkspace: false,
  async run(values, target) {
    const subscriptions = target.subscriptionId
      ? [target.subscriptionId]
      : (await collectPages((t) => target.resourceManager.listSubscriptions(t ? { continuationToken: t } : {})))
        .map((s) => s.subscriptionId);
    const resourceGroup = values['resource-group'] as string | undefined;
    const workspaces: Workspace[] = [];
    for (const subscriptionId of subscriptions) {
      workspaces.push(...await collectPages((continuationToken) => target.resourceManager.listWorkspaces({
        subscriptionId,
        ...(resourceGroup ? { resourceGroup } : {}),
        ...(continuationToken ? { continuationToken } : {}),
      })));
    }
    printItems(workspaces, [
      { header: 'NAME', value: (w) => w.name },
      { header: 'RESOURCE GROUP', value: (w) => w.resourceGroup },
      { header: 'LOCATION', value: (w) => w.location },
      { header: 'SUBSCRIPTION', value: (w) => w.subscriptionId },
    ], values['json'] as boolean | undefined);
  },
};
