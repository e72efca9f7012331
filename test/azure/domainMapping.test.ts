/**
 * Shapes the spec examples in the shared fixtures do not cover (from azureml-rest.md), read
 * through the real SDK pipeline.
 */
import { strict as assert } from 'node:assert';
import { jobWithRunTimes } from '../../src/azure/mappers';
import { loadFixture, StubServer, workspaceClientFor, workspacePath, type Fixture } from './stubServer';

describe('domain mapping of other documented shapes', () => {
  let stub: StubServer;
  let fixture: Fixture;
  before(async () => {
    stub = await StubServer.start();
    fixture = await loadFixture('Compute__list');
  });
  after(async () => {
    await stub.close();
  });

  const computeEnvelope = (name: string, properties: unknown) => ({
    id: `${workspacePath(fixture)}/computes/${name}`, name, type: 'Microsoft.MachineLearningServices/workspaces/computes',
    location: 'eastus', properties,
  });

  it('an AmlCompute cluster: size, priority, scale settings, allocation state, node counts', async () => {
    stub.answer(() => ({
      status: 200,
      body: computeEnvelope('cpu-cluster', {
        computeType: 'AmlCompute', provisioningState: 'Succeeded', description: 'training', createdOn: '2024-02-01T00:00:00Z',
        properties: {
          vmSize: 'STANDARD_DS3_V2', vmPriority: 'LowPriority',
          scaleSettings: { minNodeCount: 0, maxNodeCount: 4, nodeIdleTimeBeforeScaleDown: 'PT120S' },
          allocationState: 'Resizing', currentNodeCount: 1, targetNodeCount: 2,
        },
      }),
    }));
    const compute = await workspaceClientFor(stub, fixture).computes.get('cpu-cluster');
    assert.deepEqual(compute, {
      id: `${workspacePath(fixture)}/computes/cpu-cluster`, name: 'cpu-cluster', computeType: 'AmlCompute', location: 'eastus',
      provisioningState: 'Succeeded', state: 'Resizing', description: 'training', vmSize: 'STANDARD_DS3_V2', vmPriority: 'LowPriority',
      minNodeCount: 0, maxNodeCount: 4, currentNodeCount: 1, targetNodeCount: 2, isAttached: false,
      createdAt: new Date('2024-02-01T00:00:00Z'), applications: [],
    });
    assert.equal(stub.lastRequest.pathname, `${workspacePath(fixture)}/computes/cpu-cluster`);
  });

  it('a ComputeInstance: state and applications', async () => {
    stub.answer(() => ({
      status: 200,
      body: computeEnvelope('ci-1', {
        computeType: 'ComputeInstance', provisioningState: 'Succeeded',
        properties: {
          vmSize: 'STANDARD_DS11_V2', state: 'Stopped',
          applications: [{ displayName: 'Jupyter', endpointUri: 'https://ci-1.eastus.instances.azureml.ms/tree/' }],
        },
      }),
    }));
    const compute = await workspaceClientFor(stub, fixture).computes.get('ci-1');
    assert.equal(compute.state, 'Stopped');
    assert.equal(compute.vmSize, 'STANDARD_DS11_V2');
    assert.deepEqual(compute.applications, [{ displayName: 'Jupyter', endpointUri: 'https://ci-1.eastus.instances.azureml.ms/tree/' }]);
  });

  it('SAS and service principal datastore secrets', async () => {
    const client = workspaceClientFor(stub, fixture);
    stub.answer(() => ({ status: 200, body: { secretsType: 'Sas', sasToken: 'sv=2024&sig=abc' } }));
    const { expiresAt: _sasExpiry, ...sas } = await client.datastores.listSecrets('sas');
    assert.deepEqual(sas, { secretsType: 'Sas', sasToken: 'sv=2024&sig=abc' });
    stub.answer(() => ({ status: 200, body: { secretsType: 'ServicePrincipal', clientSecret: 'shh' } }));
    const { expiresAt: _spExpiry, ...sp } = await client.datastores.listSecrets('sp');
    assert.deepEqual(sp, { secretsType: 'ServicePrincipal', clientSecret: 'shh' });
  });

  it('a datastore without credentials (identity-based) and with a workspace identity', async () => {
    stub.answer(() => ({
      status: 200,
      body: {
        id: `${workspacePath(fixture)}/datastores/lake`, name: 'lake',
        properties: {
          datastoreType: 'AzureDataLakeGen2', accountName: 'st1', filesystem: 'raw', endpoint: 'core.windows.net', protocol: 'https',
          credentials: { credentialsType: 'None' }, serviceDataAccessAuthIdentity: 'WorkspaceSystemAssignedIdentity', isDefault: false,
        },
      },
    }));
    const datastore = await workspaceClientFor(stub, fixture).datastores.get('lake');
    assert.deepEqual([datastore.credentialsType, datastore.filesystem, datastore.serviceDataAccessAuthIdentity],
      ['None', 'raw', 'WorkspaceSystemAssignedIdentity']);
  });

  it('run history times complete a job', async () => {
    stub.answer(() => ({ status: 200, body: { id: `${workspacePath(fixture)}/jobs/j1`, name: 'j1', properties: { jobType: 'Command', status: 'Completed' } } }));
    const job = await workspaceClientFor(stub, fixture).jobs.get('j1');
    assert.equal(job.startTime, undefined);
    const start = new Date('2024-05-01T10:00:00Z');
    const end = new Date('2024-05-01T10:05:00Z');
    assert.deepEqual(jobWithRunTimes(job, { startTime: start, endTime: end }), { ...job, startTime: start, endTime: end });
    assert.equal(job.experimentName, 'Default');
  });
});
