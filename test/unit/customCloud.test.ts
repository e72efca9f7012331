import { strict as assert } from 'node:assert';
import { customCloud } from '../../src/azure/customCloud';
import { mayReceiveArmToken, mayReceiveStorageCredential } from '../../src/azure/trustedHosts';

const azureStackHub = {
  name: 'Azure Stack Hub',
  resourceManagerEndpoint: 'https://management.local.azurestack.external/',
  storageEndpointSuffix: 'local.azurestack.external',
  mlServiceHostSuffixes: ['ml.local.azurestack.external'],
  authorityHost: 'https://adfs.local.azurestack.external',
  resourceManagerAudience: 'https://management.adfs.azurestack.local',
};

function messageOf(config: unknown): string {
  try {
    customCloud(config);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
}

describe('custom clouds (--cloud-config, azureml.cloud.custom)', () => {
  it('an Azure Stack Hub configuration: tokens go only to its own hosts', () => {
    const cloud = customCloud(azureStackHub);
    assert.equal(cloud.displayName, 'Azure Stack Hub');
    assert.equal(cloud.resourceManagerEndpoint, 'https://management.local.azurestack.external');
    assert.equal(cloud.armScope, 'https://management.adfs.azurestack.local/.default');
    assert.equal(cloud.authorityHost, 'https://adfs.local.azurestack.external');
    assert.equal(mayReceiveArmToken(cloud, 'https://management.local.azurestack.external/subscriptions'), true);
    assert.equal(mayReceiveArmToken(cloud, 'https://westus.ml.local.azurestack.external/history'), true);
    assert.equal(mayReceiveArmToken(cloud, 'https://management.azure.com/subscriptions'), false);
    assert.equal(mayReceiveStorageCredential(cloud, 'https://acct.blob.local.azurestack.external/c?sig=x'), true);
    assert.equal(mayReceiveStorageCredential(cloud, 'https://acct.blob.core.windows.net/c?sig=x'), false);
  });

  it('a cloud on loopback keeps every credential on loopback', () => {
    const cloud = customCloud({ resourceManagerEndpoint: 'http://127.0.0.1:8080', storageEndpointSuffix: 'core.windows.net', blobEndpoint: 'http://127.0.0.1:8080' });
    assert.equal(cloud.allowsPlainHttpLoopback, true);
    assert.equal(mayReceiveArmToken(cloud, 'http://127.0.0.1:8080/discovery'), true);
    assert.equal(mayReceiveArmToken(cloud, 'https://management.azure.com/'), false);
    assert.equal(mayReceiveStorageCredential(cloud, 'https://acct.blob.core.windows.net/c'), false);
  });

  it('says what to fix in a configuration that cannot work', () => {
    assert.match(messageOf([]), /must be a JSON object with resourceManagerEndpoint and storageEndpointSuffix/);
    assert.match(messageOf({ storageEndpointSuffix: 'x.y' }), /needs "resourceManagerEndpoint" as a URL/);
    assert.match(messageOf({ ...azureStackHub, resourceManagerEndpoint: 'http://management.example.com' }), /must be an https:\/\/ address/);
    assert.match(messageOf({ ...azureStackHub, resourceManagerEndpoint: 'https://management.example.com/arm?x=1' }), /without a path or query/);
    assert.match(messageOf({ ...azureStackHub, storageEndpointSuffix: 'not a host' }), /"storageEndpointSuffix" .* host name suffix/);
    assert.match(messageOf({ ...azureStackHub, mlServiceHostSuffixes: 'ml.example.com' }), /must be a list/);
    assert.match(messageOf({ ...azureStackHub, blobEndpoint: 'http://127.0.0.1:10000' }), /only for a cloud on 127\.0\.0\.1/);
  });
});
