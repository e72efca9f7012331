import * as assert from 'node:assert/strict';
import * as tls from 'node:tls';
import { createDefaultHttpClient, createPipelineRequest } from '@azure/core-rest-pipeline';
import { BlobSASPermissions, ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import { azurePublicCloud, localCloud, type Cloud } from '../../src/azure/cloud';
import { createLocalWorkspaceCredential } from '../../src/azure/credentials';
import { checkDatastoreAccess } from '../../src/azure/datastoreAccessCheck';
import { openDatastoreStorage } from '../../src/azure/datastoreStorage';
import type { Datastore } from '../../src/azure/domain';
import { route } from '../../src/azure/networkRoute';
import { defaultNetworkSettings, networkSettingsFromEnvironment, type NetworkSettings } from '../../src/azure/networkSettings';
import { ResourceManagerClient } from '../../src/azure/resourceManagerClient';
import { listFolder } from '../../src/azure/storageListing';
import { bypassesProxy, useNetworkSettings } from '../../src/azure/transport';
import type { WorkspaceClient } from '../../src/azure/workspaceClient';
import { fetchRange } from '../../src/core/logRangeReader';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { localStorageKey } from '../support/storageKey';
import { createPrivateCa, type PrivateCa } from '../support/privateCa';
import { startRecordingProxy, type RecordingProxy } from '../support/recordingProxy';
import { rejection } from '../support/rejection';
import { startTlsFront, type TlsFront } from '../support/tlsFront';

/**
 * The local workspace service behind an HTTPS front with a private CA's certificate, reached as
 * an Azure cloud would be: https everywhere, the SDK's own bearer policy. Host names under
 * `azml.test` resolve nowhere, so they are only reachable through the proxy.
 */
describe('proxy and private certificate authorities (every client, through a recording CONNECT proxy)', () => {
  let local: StartedLocalWorkspace;
  let ca: PrivateCa;
  let front: TlsFront;
  let proxy: RecordingProxy;
  let workspace: WorkspaceClient;

  const named = (host: string): string => `https://${host}.azml.test:${front.port}`;
  function httpsCloud(base: (service: string) => string): Cloud {
    return {
      ...azurePublicCloud,
      resourceManagerEndpoint: base('arm'),
      armScope: `${base('arm')}/.default`,
      storageEndpointSuffix: 'local',
      storageEndpoints: { blob: `${base('blob')}/devstoreaccount1`, file: `${base('file')}/devstoreaccount1` },
    };
  }
  const settings = (extra: Partial<NetworkSettings>): NetworkSettings => ({ ...defaultNetworkSettings, ...extra });
  function resourceManager(cloud: Cloud): ResourceManagerClient {
    return new ResourceManagerClient(cloud, createLocalWorkspaceCredential(local.connection));
  }
  async function datastoreOfType(type: string): Promise<Datastore> {
    for await (const datastore of workspace.datastores.listAll()) if (datastore.datastoreType === type) return datastore;
    throw new Error(`no ${type} datastore`);
  }
  async function storageOf(cloud: Cloud, type: string) {
    const datastore = await datastoreOfType(type);
    return openDatastoreStorage({ cloud, datastore, secrets: await workspace.datastores.listSecrets(datastore.name) });
  }

  before(async function () {
    this.timeout(90_000);
    local = await startLocalWorkspace();
    ca = createPrivateCa();
    front = await startTlsFront({ key: ca.serverKey, cert: ca.serverCert }, {
      default: local.connection.armEndpoint,
      arm: local.connection.armEndpoint,
      blob: local.connection.blobEndpoint,
      file: local.connection.fileEndpoint,
    });
    proxy = await startRecordingProxy();
    const direct = localCloud(local.connection);
    workspace = new ResourceManagerClient(direct, createLocalWorkspaceCredential(local.connection)).workspaceClient({
      subscriptionId: local.connection.subscriptionId, resourceGroup: local.connection.resourceGroup, workspaceName: local.connection.workspace,
    });
  });
  afterEach(() => {
    useNetworkSettings(defaultNetworkSettings);
    proxy.forwarded.length = 0;
  });
  after(async () => {
    await proxy?.close();
    await front?.close();
    ca?.dispose();
    await local?.dispose();
  });

  it('sends REST, blob, file share and plain log reads through the proxy', async () => {
    useNetworkSettings(settings({ proxyUrl: proxy.url, extraCaCertificates: [ca.caPem] }));
    const cloud = httpsCloud(named);

    const subscriptions = await resourceManager(cloud).listSubscriptions();
    assert.deepEqual(subscriptions.items.map((s) => s.subscriptionId), [local.connection.subscriptionId]);

    const blobs = await storageOf(cloud, 'AzureBlob');
    const container = blobs.kind === 'blob' ? blobs.container : assert.fail('a blob datastore');
    await container.getBlockBlobClient('proxy-test/log.txt').upload('hello log', 9);
    assert.deepEqual((await listFolder(blobs, 'proxy-test')).items.map((e) => e.name), ['log.txt']);
    const files = await storageOf(cloud, 'AzureFile');
    await listFolder(files, '');

    const sas = generateBlobSASQueryParameters({
      containerName: blobs.datastore.containerName!, blobName: 'proxy-test/log.txt', permissions: BlobSASPermissions.parse('r'),
      expiresOn: new Date(Date.now() + 3_600_000),
    }, new StorageSharedKeyCredential(devStorageAccount.name, localStorageKey(local.dataDir))).toString();
    const logUrl = `${cloud.storageEndpoints!.blob}/${blobs.datastore.containerName}/proxy-test/log.txt?${sas}`;
    const read = await fetchRange(logUrl, 6);
    assert.equal(read.kind, 'data');
    assert.equal(read.kind === 'data' ? Buffer.from(read.bytes).toString() : '', 'log');

    const port = String(front.port);
    assert.deepEqual([...new Set(proxy.forwarded)].sort(), [`arm.azml.test:${port}`, `blob.azml.test:${port}`, `file.azml.test:${port}`]);
  });

  it('checks a datastore\'s storage through the proxy without asking this machine\'s DNS for its name', async () => {
    useNetworkSettings(settings({ proxyUrl: proxy.url, extraCaCertificates: [ca.caPem] }));
    const container = (await datastoreOfType('AzureBlob')).containerName!;
    const sasToken = generateBlobSASQueryParameters({
      containerName: container, permissions: ContainerSASPermissions.parse('rl'), expiresOn: new Date(Date.now() + 3_600_000),
    }, new StorageSharedKeyCredential(devStorageAccount.name, localStorageKey(local.dataDir))).toString();
    // A storage suffix an administrator added (as for Azure Stack): only such a suffix may receive the SAS.
    const result = await checkDatastoreAccess({
      cloud: { ...azurePublicCloud, additionalStorageSuffixes: [`azml.test:${front.port}`] },
      input: {
        name: 'behind-proxy', datastoreType: 'AzureBlob', accountName: devStorageAccount.name, containerName: container,
        endpoint: `azml.test:${front.port}`, credentials: { credentialsType: 'Sas', sasToken },
      },
    });
    assert.equal(result.ok, true, result.message);
    assert.deepEqual(proxy.forwarded, [`${devStorageAccount.name}.blob.azml.test:${front.port}`]);
  });

  it('reaches loopback addresses directly even with a proxy set', async () => {
    useNetworkSettings(settings({ proxyUrl: proxy.url }));
    const page = await resourceManager(localCloud(local.connection)).listSubscriptions();
    assert.equal(page.items.length, 1);
    assert.deepEqual(proxy.forwarded, []);
  });

  it('NO_PROXY entries: host, .suffix, *.suffix, host:port and *, loopback always', () => {
    const noProxy = ['internal.example', '.corp.example', '*.lab.example', 'build.example:8443'];
    assert.equal(bypassesProxy('https://internal.example/x', noProxy), true);
    assert.equal(bypassesProxy('https://a.internal.example/x', noProxy), false);
    assert.equal(bypassesProxy('https://corp.example/x', noProxy), true);
    assert.equal(bypassesProxy('https://a.b.corp.example/x', noProxy), true);
    assert.equal(bypassesProxy('https://x.lab.example/x', noProxy), true);
    assert.equal(bypassesProxy('https://build.example:8443/x', noProxy), true);
    assert.equal(bypassesProxy('https://build.example/x', noProxy), false);
    assert.equal(bypassesProxy('https://management.azure.com/x', noProxy), false);
    assert.equal(bypassesProxy('https://management.azure.com/x', ['*']), true);
    for (const loopback of ['http://127.0.0.1:1/', 'http://localhost:1/', 'http://[::1]:1/', 'http://127.1.2.3/']) {
      assert.equal(bypassesProxy(loopback, []), true, loopback);
    }
  });

  it('a host in NO_PROXY is not sent to the proxy', async () => {
    useNetworkSettings(networkSettingsFromEnvironment({ HTTPS_PROXY: proxy.url, NO_PROXY: 'blob.azml.test', NODE_EXTRA_CA_CERTS: ca.caFile }));
    await resourceManager(httpsCloud(named)).listSubscriptions();
    // Direct, the made-up name resolves nowhere: the read fails, and it never reached the proxy.
    await assert.rejects(fetchRange(`${named('blob')}/devstoreaccount1/c/log.txt`, 0), /Could not reach the log storage \(ENOTFOUND|EAI_AGAIN\)/);
    assert.deepEqual([...new Set(proxy.forwarded)], [`arm.azml.test:${front.port}`]);
  });

  it('trusts a private CA given by NODE_EXTRA_CA_CERTS, directly and through the proxy', async () => {
    const viaLoopback = httpsCloud(() => `https://localhost:${front.port}`);
    useNetworkSettings(networkSettingsFromEnvironment({ NODE_EXTRA_CA_CERTS: ca.caFile }));
    assert.equal((await resourceManager(viaLoopback).listSubscriptions()).items.length, 1);
    useNetworkSettings(networkSettingsFromEnvironment({ NODE_EXTRA_CA_CERTS: ca.caFile, HTTPS_PROXY: proxy.url }));
    assert.equal((await resourceManager(httpsCloud(named)).listSubscriptions()).items.length, 1);
  });

  it('gives every HTTPS request the same TLS context of the trusted CAs, never their PEM text (the agent keys its pool on it)', async () => {
    const client = createDefaultHttpClient();
    // A system bundle besides the private CA, as NODE_EXTRA_CA_CERTS=/etc/ssl/certs/… gives: a few hundred certificates.
    const trusted = settings({ extraCaCertificates: [ca.caPem, ...tls.rootCertificates] });
    const overrides: Array<Record<string, unknown> | undefined> = [];
    for (let i = 0; i < 3; i++) {
      const request = createPipelineRequest({ url: `https://localhost:${front.port}/subscriptions?api-version=2022-12-01` });
      const response = await route(request, trusted, (sent) => {
        overrides.push(sent.requestOverrides);
        return client.sendRequest(sent);
      });
      // Trusted: the TLS handshake passed, and the service answered (without a token, 401).
      assert.equal(response.status, 401);
    }
    assert.ok(overrides.every((o) => o !== undefined && !('ca' in o) && o['secureContext'] === overrides[0]!['secureContext']));
    assert.ok(overrides[0]!['secureContext'] instanceof Object);
  });

  it('without the CA, says the certificate is not trusted and how to trust it', async () => {
    const error = await rejection(resourceManager(httpsCloud(() => `https://localhost:${front.port}`)).listSubscriptions());
    assert.equal(error.code, 'UntrustedCertificate');
    assert.match(error.message, /^The certificate of Azure Resource Manager \(localhost:\d+\) is not trusted \([A-Z_]+\)\./);
    assert.match(error.message, /set NODE_EXTRA_CA_CERTS to a PEM file/);

    useNetworkSettings(settings({ proxyUrl: proxy.url }));
    const viaProxy = await rejection(resourceManager(httpsCloud(named)).listSubscriptions());
    assert.equal(viaProxy.code, 'UntrustedCertificate');
  });

  it('http.proxyStrictSSL off accepts an untrusted certificate through the proxy, never directly', async () => {
    useNetworkSettings(settings({ proxyUrl: proxy.url, proxyStrictSsl: false }));
    assert.equal((await resourceManager(httpsCloud(named)).listSubscriptions()).items.length, 1);
    const direct = await rejection(resourceManager(httpsCloud(() => `https://localhost:${front.port}`)).listSubscriptions());
    assert.equal(direct.code, 'UntrustedCertificate');
  });

  it('a NODE_EXTRA_CA_CERTS that is not a readable PEM file gets one clear message', () => {
    assert.throws(() => networkSettingsFromEnvironment({ NODE_EXTRA_CA_CERTS: '/no/such/ca.pem' }),
      /^AzureMlError: NODE_EXTRA_CA_CERTS names "\/no\/such\/ca\.pem", which can't be read \(ENOENT\)\. Point it at a PEM file/);
    assert.throws(() => networkSettingsFromEnvironment({ HTTPS_PROXY: 'proxy.corp:8080' }), /^AzureMlError: HTTPS_PROXY is not a proxy URL\. Use the form http:\/\/proxy\.example:8080\.$/);
  });
});
