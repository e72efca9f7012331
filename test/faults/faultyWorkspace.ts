import { currentNetworkSettings, useNetworkSettings } from '../../src/azure/transport';
import type { LocalWorkspaceConnection } from '../../src/local/discovery';
import { FaultSchedule, startFaultProxy, type FaultProxy, type FaultScheduleOptions } from '../support/faultProxy';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

/** The local workspace with a fault-injecting proxy in front of each of its endpoints. */
export interface FaultyWorkspace {
  local: StartedLocalWorkspace;
  schedule: FaultSchedule;
  /** The local workspace as seen through the proxies (what the clients under test get). */
  connection: LocalWorkspaceConnection;
  /** The same workspace as it is, for setting up and checking results. */
  direct: LocalWorkspaceConnection;
  dispose(): Promise<void>;
}

function withPath(origin: string, endpoint: string): string {
  return `${origin}${new URL(endpoint).pathname.replace(/\/+$/, '')}`;
}

/**
 * How long a request may go without progress in this suite: short, so stalled answers cost
 * seconds; the proxy holds a stall far longer than this.
 */
export const suiteTimeoutsMs = { metadata: 2_000, transfer: 3_000 };

export async function startFaultyWorkspace(schedule: FaultScheduleOptions, options: { seed?: 'demo' } = {}): Promise<FaultyWorkspace> {
  const local = await startLocalWorkspace(options);
  const faults = new FaultSchedule(schedule);
  const settings = currentNetworkSettings();
  useNetworkSettings({ ...settings, noProgressTimeoutMs: suiteTimeoutsMs });
  const direct = local.connection;
  const proxies: FaultProxy[] = [];
  try {
    const storage = async (name: string, endpoint: string): Promise<FaultProxy> => {
      const proxy = await startFaultProxy({ name, upstream: new URL(endpoint).origin, schedule: faults, flavour: 'storage' });
      proxies.push(proxy);
      return proxy;
    };
    const blob = await storage('blob', direct.blobEndpoint);
    const file = await storage('file', direct.fileEndpoint);
    const queue = await storage('queue', direct.queueEndpoint);
    const rewrites: Array<[string, string]> = [
      [new URL(direct.blobEndpoint).origin, blob.origin],
      [new URL(direct.fileEndpoint).origin, file.origin],
      [new URL(direct.queueEndpoint).origin, queue.origin],
    ];
    const arm = await startFaultProxy({
      name: 'arm', upstream: new URL(direct.armEndpoint).origin, schedule: faults, flavour: 'arm', rewrites: () => rewrites,
    });
    proxies.push(arm);
    const connection: LocalWorkspaceConnection = {
      ...direct,
      armEndpoint: withPath(arm.origin, direct.armEndpoint),
      blobEndpoint: withPath(blob.origin, direct.blobEndpoint),
      fileEndpoint: withPath(file.origin, direct.fileEndpoint),
      queueEndpoint: withPath(queue.origin, direct.queueEndpoint),
    };
    return {
      local, schedule: faults, connection, direct,
      dispose: async () => {
        useNetworkSettings(settings);
        await Promise.all(proxies.map((p) => p.close()));
        await local.dispose();
      },
    };
  } catch (error) {
    useNetworkSettings(settings);
    await Promise.all(proxies.map((p) => p.close()));
    await local.dispose();
    throw error;
  }
}
