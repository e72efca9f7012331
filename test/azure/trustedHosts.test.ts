/**
 * The ARM token goes only to the cloud's own hosts: a nextLink, discovery URL or run-history
 * base that points elsewhere is refused before any connection is made. The "elsewhere" here is
 * a real listener on 127.0.0.1 that records every connection: for an Azure cloud it is not an
 * allowed host, so it must see none.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import {
  azureChinaCloud, azurePublicCloud, azureUsGovernmentCloud, localCloud,
} from '../../src/azure/cloud';
import { createMachineLearningClient } from '../../src/azure/mlServiceClient';
import { ResourceManagerClient } from '../../src/azure/resourceManagerClient';
import { RunHistoryOperations } from '../../src/azure/runHistory';
import { discoverServiceEndpoints } from '../../src/azure/serviceDiscovery';
import { isStudioUrl, mayReceiveArmToken, mayReceiveStorageCredential, withAdditionalStorageSuffixes } from '../../src/azure/trustedHosts';
import { WorkspaceClient } from '../../src/azure/workspaceClient';
import { rejection } from '../support/rejection';
import { StubServer, stubCloud, stubCredential } from './stubServer';

/** A TCP listener that counts connections and closes each at once. */
class ConnectionRecorder {
  connections = 0;
  private constructor(private readonly server: net.Server, readonly port: number) {}

  static async start(): Promise<ConnectionRecorder> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const recorder = new ConnectionRecorder(server, (server.address() as AddressInfo).port);
    server.on('connection', (socket) => {
      recorder.connections++;
      socket.destroy();
    });
    return recorder;
  }

  get origin(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A credential that counts the tokens it hands out. */
function countingCredential(): TokenCredential & { tokens: number } {
  const credential = {
    tokens: 0,
    getToken: async (): Promise<AccessToken> => {
      credential.tokens++;
      return { token: 'arm-token-that-must-stay-home', expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  return credential;
}

const workspace = { subscriptionId: 'sub', resourceGroup: 'rg', workspaceName: 'ws' };

describe('the ARM token goes only to the cloud\'s own hosts', () => {
  let elsewhere: ConnectionRecorder;
  before(async () => {
    elsewhere = await ConnectionRecorder.start();
  });
  after(async () => {
    await elsewhere.close();
  });
  beforeEach(() => {
    elsewhere.connections = 0;
  });

  it('a workspace list nextLink to another host is refused, with nothing sent', async () => {
    const credential = countingCredential();
    const arm = new ResourceManagerClient(azurePublicCloud, credential);
    const nextLink = `${elsewhere.origin}/subscriptions/sub/providers/Microsoft.MachineLearningServices/workspaces?api-version=2024-10-01&$skip=x`;
    const error = await rejection(arm.listWorkspaces({ subscriptionId: 'sub', continuationToken: nextLink }));
    assert.equal(error.code, 'UntrustedHost');
    assert.equal(error.message,
      `Refused to send your Azure sign-in to ${elsewhere.origin}: it is not a host of Azure. Nothing was sent.`);
    assert.equal(elsewhere.connections, 0);
    assert.equal(credential.tokens, 0);
  });

  it('a datastore list nextLink to another host is refused, with nothing sent', async () => {
    const client = new WorkspaceClient({ ...workspace, cloud: azurePublicCloud, credential: countingCredential() });
    const error = await rejection(client.datastores.list({
      continuationToken: `${elsewhere.origin}/subscriptions/sub/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws/datastores?$skip=x`,
    }));
    assert.equal(error.code, 'UntrustedHost');
    assert.equal(elsewhere.connections, 0);
  });

  it('a discovery URL on another host is refused, with nothing sent', async () => {
    const client = createMachineLearningClient(azureUsGovernmentCloud, countingCredential(), 'sub');
    const error = await rejection(discoverServiceEndpoints(client, `${elsewhere.origin}/discovery`));
    assert.equal(error.code, 'UntrustedHost');
    assert.match(error.message, /not a host of Azure US Government/);
    assert.equal(elsewhere.connections, 0);
  });

  it('a discovered run-history base on another host is refused, with nothing sent', async () => {
    const client = createMachineLearningClient(azurePublicCloud, countingCredential(), 'sub');
    const history = new RunHistoryOperations({ cloud: azurePublicCloud, client, workspace }, async () => elsewhere.origin);
    const error = await rejection(history.getRunDetails('job-1'));
    assert.equal(error.code, 'UntrustedHost');
    assert.equal(elsewhere.connections, 0);
  });

  it('accepts the cloud\'s Resource Manager (where real nextLinks point) and Azure ML data plane, over HTTPS only', () => {
    const allowed = [
      [azurePublicCloud, 'https://management.azure.com/subscriptions/s/providers/Microsoft.MachineLearningServices/workspaces?$skip=a'],
      [azurePublicCloud, 'https://eastus2.api.azureml.ms/discovery'],
      [azurePublicCloud, 'https://0f1e2d3c.workspace.eastus.api.azureml.ms/history/v1.0/x'],
      [azureUsGovernmentCloud, 'https://management.usgovcloudapi.net/subscriptions'],
      [azureUsGovernmentCloud, 'https://usgovvirginia.api.ml.azure.us/discovery'],
      [azureChinaCloud, 'https://chinaeast2.api.ml.azure.cn/discovery'],
    ] as const;
    for (const [cloud, url] of allowed) assert.ok(mayReceiveArmToken(cloud, url), url);
    const refused = [
      [azurePublicCloud, 'http://management.azure.com/subscriptions'],
      [azurePublicCloud, 'https://management.azure.com.evil.example/subscriptions'],
      [azurePublicCloud, 'https://management.azure.com@evil.example/subscriptions'],
      [azurePublicCloud, 'https://management.azure.com:8443/subscriptions'],
      [azurePublicCloud, 'https://evilapi.azureml.ms/discovery'],
      [azurePublicCloud, 'https://api.azureml.ms.evil.example/discovery'],
      [azurePublicCloud, 'https://usgovvirginia.api.ml.azure.us/discovery'],
      [azurePublicCloud, 'https://127.0.0.1/discovery'],
      [azureUsGovernmentCloud, 'https://management.azure.com/subscriptions'],
      [azureChinaCloud, 'not a url'],
    ] as const;
    for (const [cloud, url] of refused) assert.ok(!mayReceiveArmToken(cloud, url), url);
  });

  it('the local workspace: loopback only', () => {
    const local = localCloud({ armEndpoint: 'http://127.0.0.1:1', blobEndpoint: 'http://127.0.0.1:2/a', fileEndpoint: 'http://127.0.0.1:3/a', queueEndpoint: 'http://127.0.0.1:4/a' });
    assert.ok(mayReceiveArmToken(local, 'http://127.0.0.1:5/x'));
    assert.ok(mayReceiveArmToken(local, 'http://localhost:5/x'));
    assert.ok(!mayReceiveArmToken(local, 'https://management.azure.com/x'));
    assert.ok(mayReceiveStorageCredential(local, 'http://127.0.0.1:2/a/c?sig=x'));
    assert.ok(!mayReceiveStorageCredential(local, 'https://acct.blob.core.windows.net/c?sig=x'));
  });
});

describe('storage links from the service (log and snapshot SAS URLs)', () => {
  it('go only to HTTPS accounts under the cloud\'s storage suffixes, or those an administrator added', () => {
    assert.ok(mayReceiveStorageCredential(azurePublicCloud, 'https://acct.blob.core.windows.net/azureml/ExperimentRun/dcid.x/user_logs/std_log.txt?sv=1&sig=2'));
    assert.ok(mayReceiveStorageCredential(azureChinaCloud, 'https://acct.blob.core.chinacloudapi.cn/c?sig=2'));
    assert.ok(!mayReceiveStorageCredential(azurePublicCloud, 'http://acct.blob.core.windows.net/c?sig=2'));
    assert.ok(!mayReceiveStorageCredential(azurePublicCloud, 'https://acct.blob.core.windows.net.evil.example/c?sig=2'));
    assert.ok(!mayReceiveStorageCredential(azurePublicCloud, 'https://acct.blob.core.usgovcloudapi.net/c?sig=2'));
    assert.ok(!mayReceiveStorageCredential(azurePublicCloud, 'https://acct.blob.local.azurestack.external/c?sig=2'));
    const stack = withAdditionalStorageSuffixes(azurePublicCloud, ['.Local.AzureStack.External', 'com', 'https://x.example', 42]);
    assert.deepEqual(stack.additionalStorageSuffixes, ['local.azurestack.external']);
    assert.ok(mayReceiveStorageCredential(stack, 'https://acct.blob.local.azurestack.external/c?sig=2'));
  });

  it('a run\'s log link on another host is not read: it is left out with a warning', async () => {
    const stub = await StubServer.start();
    try {
      stub.answer((_request, base) => ({
        status: 200,
        body: {
          runId: 'job-1', status: 'Running',
          logFiles: { 'user_logs/std_log.txt': `${base}/logs/std_log.txt?sig=a`, 'user_logs/std_log_1.txt': 'https://evil.example/log?sig=b' },
        },
      }));
      const cloud = stubCloud(stub);
      const client = createMachineLearningClient(cloud, stubCredential(), 'sub');
      const details = await new RunHistoryOperations({ cloud, client, workspace }, async () => stub.url).getRunDetails('job-1');
      assert.deepEqual(details.logFiles, { 'user_logs/std_log.txt': `${stub.url}/logs/std_log.txt?sig=a` });
      assert.deepEqual(details.warnings, [{
        source: 'Azure ML extension',
        message: 'The log user_logs/std_log_1.txt is not read: its address (https://evil.example) is not storage of Local workspace.',
      }]);
    } finally {
      await stub.close();
    }
  });
});

describe('Open in Studio links', () => {
  it('are HTTPS pages of the cloud\'s own studio only', () => {
    assert.ok(isStudioUrl(azurePublicCloud, 'https://ml.azure.com/runs/job-1?wsid=/subscriptions/s/resourcegroups/rg/workspaces/ws&tid=t'));
    assert.ok(isStudioUrl(azureUsGovernmentCloud, 'https://ml.azure.us/runs/job-1'));
    assert.ok(isStudioUrl(azureChinaCloud, 'https://studio.ml.azure.cn/runs/job-1'));
    for (const url of [
      'http://ml.azure.com/runs/job-1', 'https://ml.azure.com.evil.example/runs/job-1', 'https://evil.example/?ml.azure.com',
      'javascript:alert(1)', 'file:///etc/passwd', 'command:workbench.action.terminal.new', 'https://ml.azure.com@evil.example/',
      'https://ml.azure.us/runs/job-1',
    ]) assert.ok(!isStudioUrl(azurePublicCloud, url), url);
    const local = localCloud({ armEndpoint: 'http://127.0.0.1:1', blobEndpoint: 'http://127.0.0.1:2/a', fileEndpoint: 'http://127.0.0.1:3/a', queueEndpoint: 'http://127.0.0.1:4/a' });
    assert.ok(!isStudioUrl(local, 'https://ml.azure.com/runs/job-1'));
  });
});
