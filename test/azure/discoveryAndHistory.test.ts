import { strict as assert } from 'node:assert';
import { ResourceManagerClient, resourceGroupsApiVersion, subscriptionsApiVersion } from '../../src/azure/resourceManagerClient';
import { AzureMlError } from '../../src/azure/errors';
import {
  loadFixture, StubServer, stubCloud, stubCredential, testToken, workspaceClientFor, workspacePath, type Fixture,
} from './stubServer';

describe('subscriptions, resource groups and workspaces', () => {
  let stub: StubServer;
  before(async () => {
    stub = await StubServer.start();
  });
  after(async () => {
    await stub.close();
  });

  it('lists subscriptions page by page', async () => {
    stub.answer((request, base) => request.query.get('$skiptoken') === 'two'
      ? { status: 200, body: { value: [{ id: '/subscriptions/s2', subscriptionId: 's2', displayName: 'Second', tenantId: 't', state: 'Enabled' }] } }
      : {
          status: 200,
          body: {
            value: [{ id: '/subscriptions/s1', subscriptionId: 's1', displayName: 'First', tenantId: 't', state: 'Enabled' }],
            nextLink: `${base}/subscriptions?api-version=${subscriptionsApiVersion}&$skiptoken=two`,
          },
        });
    const arm = new ResourceManagerClient(stubCloud(stub), stubCredential());
    const first = await arm.listSubscriptions();
    assert.deepEqual(first.items, [{ id: '/subscriptions/s1', subscriptionId: 's1', displayName: 'First', tenantId: 't', state: 'Enabled' }]);
    assert.equal(stub.lastRequest.pathname, '/subscriptions');
    assert.equal(stub.lastRequest.query.get('api-version'), subscriptionsApiVersion);
    assert.equal(stub.lastRequest.headers.authorization, `Bearer ${testToken}`);
    const second = await arm.listSubscriptions({ continuationToken: first.continuationToken });
    assert.deepEqual(second.items.map((s) => s.displayName), ['Second']);
    assert.equal(second.continuationToken, undefined);
  });

  it('follows continuation tokens only on its own Resource Manager', async () => {
    const arm = new ResourceManagerClient(stubCloud(stub), stubCredential());
    stub.answer(() => ({ status: 200, body: { value: [] } }));
    await assert.rejects(arm.listSubscriptions({ continuationToken: 'http://127.0.0.2:1/subscriptions' }),
      (e: unknown) => e instanceof AzureMlError && e.code === 'InvalidContinuationToken');
    assert.equal(stub.requests.length, 0);
  });

  it('lists resource groups', async () => {
    stub.answer(() => ({
      status: 200,
      body: { value: [{ id: '/subscriptions/s1/resourceGroups/rg1', name: 'rg1', type: 'Microsoft.Resources/resourceGroups', location: 'eastus', properties: { provisioningState: 'Succeeded' } }] },
    }));
    const page = await new ResourceManagerClient(stubCloud(stub), stubCredential()).listResourceGroups('s1');
    assert.deepEqual(page, { items: [{ id: '/subscriptions/s1/resourceGroups/rg1', name: 'rg1', location: 'eastus', provisioningState: 'Succeeded', tags: {} }] });
    assert.equal(stub.lastRequest.pathname, '/subscriptions/s1/resourcegroups');
    assert.equal(stub.lastRequest.query.get('api-version'), resourceGroupsApiVersion);
  });

  it('lists the workspaces of a subscription and of a resource group', async () => {
    const fixture = await loadFixture('Workspace__get');
    const workspace = fixture.responses['200']!.body;
    stub.answer(() => ({ status: 200, body: { value: [workspace] } }));
    const arm = new ResourceManagerClient(stubCloud(stub), stubCredential());
    const bySubscription = await arm.listWorkspaces({ subscriptionId: 'sub-1' });
    assert.deepEqual(bySubscription.items.map((w) => [w.name, w.resourceGroup, w.displayName]), [['testworkspace', 'workspace-1234', 'HelloName']]);
    assert.equal(stub.lastRequest.pathname, '/subscriptions/sub-1/providers/Microsoft.MachineLearningServices/workspaces');
    assert.equal(stub.lastRequest.query.get('api-version'), fixture.parameters['api-version']);
    await arm.listWorkspaces({ subscriptionId: 'sub-1', resourceGroup: 'rg-9' });
    assert.equal(stub.lastRequest.pathname, '/subscriptions/sub-1/resourceGroups/rg-9/providers/Microsoft.MachineLearningServices/workspaces');
  });
});

describe('discovery and run history', () => {
  let stub: StubServer;
  let fixture: Fixture;
  before(async () => {
    stub = await StubServer.start();
    fixture = await loadFixture('Workspace__get');
  });
  after(async () => {
    await stub.close();
  });

  /** The workspace answers a discoveryUrl on the stub; discovery points `api` at `/dataplane`. */
  function answerWorkspaceAnd(handler: (pathname: string, body: unknown) => { status: number; body?: unknown } | undefined): void {
    const workspace = structuredClone(fixture.responses['200']!.body) as { properties: Record<string, unknown> };
    stub.answer((request, base) => {
      if (request.pathname === workspacePath(fixture)) {
        workspace.properties['discoveryUrl'] = `${base}/discovery`;
        return { status: 200, body: workspace };
      }
      if (request.pathname === '/discovery') return { status: 200, body: { api: `${base}/dataplane/`, history: `${base}/history-host` } };
      return handler(request.pathname, request.body) ?? { status: 404, body: { error: { code: 'NotFound', message: request.pathname } } };
    });
  }

  const historyPath = (p: string) => `/dataplane/history/v1.0${workspacePath(fixture)}${p}`;

  it('reads run details at the discovered api base, discovering once', async () => {
    answerWorkspaceAnd((pathname) => pathname === historyPath('/runs/job-1/details')
      ? {
          status: 200,
          body: {
            runId: 'job-1', runUuid: 'u-1', status: 'Failed', target: 'cpu-cluster',
            startTimeUtc: '2024-05-01T10:00:00Z', endTimeUtc: '2024-05-01T10:05:00Z',
            logFiles: { 'user_logs/std_log.txt': 'http://127.0.0.1:1/logs/std_log.txt?sv=x&sig=y' },
            warnings: [{ source: 'runtime', message: 'slow start' }],
            error: { error: { code: 'UserError', message: 'train.py exited with 1' } },
            properties: { azureml: 'x' }, tags: { team: 'a' },
          },
        }
      : undefined);
    const client = workspaceClientFor(stub, fixture);
    const details = await client.runHistory.getRunDetails('job-1');
    assert.deepEqual(details, {
      runId: 'job-1', runUuid: 'u-1', status: 'Failed', target: 'cpu-cluster',
      startTime: new Date('2024-05-01T10:00:00Z'), endTime: new Date('2024-05-01T10:05:00Z'),
      logFiles: { 'user_logs/std_log.txt': 'http://127.0.0.1:1/logs/std_log.txt?sv=x&sig=y' },
      warnings: [{ source: 'runtime', message: 'slow start' }],
      error: { code: 'UserError', message: 'train.py exited with 1' },
      properties: { azureml: 'x' }, tags: { team: 'a' },
    });
    assert.equal(stub.lastRequest.headers.authorization, `Bearer ${testToken}`);
    await client.runHistory.getRunDetails('job-1');
    assert.deepEqual(stub.requests.map((r) => r.pathname), [
      workspacePath(fixture), '/discovery', historyPath('/runs/job-1/details'), historyPath('/runs/job-1/details'),
    ]);
    assert.deepEqual(await client.getServiceEndpoints(), { api: `${stub.url}/dataplane`, history: `${stub.url}/history-host` });
  });

  it('queries experiments one page at a time', async () => {
    answerWorkspaceAnd((pathname, body) => {
      if (pathname !== historyPath('/experiments:query')) return undefined;
      const token = (body as { continuationToken: string | null }).continuationToken;
      return token === 'next'
        ? { status: 200, body: { value: [{ experimentId: 'e2', name: 'second', createdUtc: '2024-01-02T00:00:00Z', tags: {} }] } }
        : { status: 200, body: { value: [{ experimentId: 'e1', name: 'first', description: 'd', createdUtc: '2024-01-01T00:00:00Z', tags: { a: 'b' } }], continuationToken: 'next' } };
    });
    const client = workspaceClientFor(stub, fixture);
    const first = await client.runHistory.listExperiments();
    assert.deepEqual(first, {
      items: [{ experimentId: 'e1', name: 'first', description: 'd', createdAt: new Date('2024-01-01T00:00:00Z'), tags: { a: 'b' } }],
      continuationToken: 'next',
    });
    const request = stub.lastRequest;
    assert.equal(request.method, 'POST');
    assert.equal(request.query.get('urlSafeExperimentNamesOnly'), 'true');
    assert.deepEqual(request.body, { viewType: 'ActiveOnly', filter: null, continuationToken: null, orderBy: null, top: 100 });
    const second = await client.runHistory.listExperiments({ continuationToken: 'next' });
    assert.deepEqual(second.items.map((e) => e.name), ['second']);
    assert.equal(second.continuationToken, undefined);
  });

  it('a run that does not exist is a 404 AzureMlError', async () => {
    answerWorkspaceAnd(() => undefined);
    await assert.rejects(workspaceClientFor(stub, fixture).runHistory.getRunDetails('nope'),
      (e: unknown) => e instanceof AzureMlError && e.status === 404);
  });

  it('a failed discovery is not cached', async () => {
    const client = workspaceClientFor(stub, fixture);
    stub.answer(() => ({ status: 404, body: { error: { code: 'ResourceNotFound', message: 'no workspace' } } }));
    await assert.rejects(client.runHistory.getRunDetails('job-1'), (e: unknown) => e instanceof AzureMlError && e.status === 404);
    answerWorkspaceAnd((pathname) => pathname === historyPath('/runs/job-1/details') ? { status: 200, body: { runId: 'job-1', status: 'Running' } } : undefined);
    assert.equal((await client.runHistory.getRunDetails('job-1')).status, 'Running');
  });
});
