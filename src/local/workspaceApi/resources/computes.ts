import * as os from 'node:os';
import { scopeOf, wsPattern, workspaceFromParams, type ApiContext } from '../context';
import { systemDataOf } from '../arm/envelope';
import { resourceTypes, workspaceResourceId } from '../arm/ids';
import { notFound } from '../http/apiError';
import type { RouteDefinition } from '../http/router';
import { sendJson } from '../http/respond';
import { pageOf } from '../paging';
import type { WorkspaceData } from '../store/workspaceStore';

export const localComputeName = 'local';

export function localComputeId(api: ApiContext, data: WorkspaceData): string {
  return `${workspaceResourceId(scopeOf(api, data))}/computes/${localComputeName}`;
}

function machineSize(): string {
  const gib = Math.round(os.totalmem() / 1024 ** 3);
  return `Local (${os.cpus().length} cores, ${gib} GiB RAM)`;
}

/**
 * The one compute of a local workspace: this machine, shown as an attached VirtualMachine
 * compute (a user-owned machine Azure ML sends jobs to, not one it provisions).
 */
function renderLocalCompute(api: ApiContext, data: WorkspaceData): unknown {
  const created = data.record.createdAt;
  return {
    id: localComputeId(api, data),
    name: localComputeName,
    type: resourceTypes.compute,
    location: data.record.location,
    tags: {},
    properties: {
      computeType: 'VirtualMachine',
      computeLocation: data.record.location,
      description: 'This machine: jobs of the local workspace run here as local processes.',
      createdOn: created,
      modifiedOn: created,
      resourceId: null,
      provisioningState: 'Succeeded',
      provisioningErrors: null,
      isAttachedCompute: true,
      disableLocalAuth: true,
      properties: {
        virtualMachineSize: machineSize(),
        address: '127.0.0.1',
        sshPort: null,
        notebookServerPort: null,
        isNotebookInstanceCompute: false,
      },
    },
    systemData: systemDataOf(data.record),
  };
}

export function computeRoutes(api: ApiContext): RouteDefinition[] {
  return [
    {
      method: 'GET', pattern: `${wsPattern}/computes`,
      handler: (ctx) => {
        const data = workspaceFromParams(api, ctx.params);
        sendJson(ctx.res, 200, pageOf(ctx, [data], api.pageSize, (d) => renderLocalCompute(api, d)));
      },
    },
    {
      method: 'GET', pattern: `${wsPattern}/computes/{name}`,
      handler: (ctx) => {
        const data = workspaceFromParams(api, ctx.params);
        if (ctx.params['name']!.toLowerCase() !== localComputeName) {
          throw notFound(`The compute '${ctx.params['name']}' was not found in workspace '${data.record.name}'; the local workspace has one compute, '${localComputeName}'.`);
        }
        sendJson(ctx.res, 200, renderLocalCompute(api, data));
      },
    },
  ];
}
