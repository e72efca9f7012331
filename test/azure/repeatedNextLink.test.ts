/**
 * A list whose nextLink repeats (A → B → A) cannot be read to its end: every reader refuses it
 * with the same InvalidResponse error, rather than returning the items so far as if complete.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportWorkspaceData } from '../../src/core/export/exportWorkspace';
import { collectPages } from '../../src/core/pages';
import { subscriptionsApiVersion } from '../../src/azure/resourceManagerClient';
import { listSubscriptionsAcrossTenants } from '../../src/azure/subscriptionsAcrossTenants';
import { rejection } from '../support/rejection';
import {
  loadFixture, StubServer, stubCloud, stubCredential, workspaceClientFor, workspacePath, type Fixture, type RecordedRequest, type StubResponse,
} from './stubServer';

const repeatedMessage = /^The service answered with the same page twice \(its nextLink repeats\), so the list cannot be read to its end/;

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('a list whose nextLink repeats (A → B → A) is refused, not cut short', () => {
  let stub: StubServer;
  let fixture: Fixture;
  let datastore: Record<string, unknown>;
  let workspace: unknown;
  before(async () => {
    stub = await StubServer.start();
    fixture = await loadFixture('Datastore__list');
    datastore = (fixture.responses['200']!.body as { value: Array<Record<string, unknown>> }).value[0]!;
    workspace = (await loadFixture('Workspace__get')).responses['200']!.body;
  });
  after(async () => {
    await stub.close();
  });

  /** Pages of `listPath`: the first links to B, B links to A again (`$skip` names the page). */
  function looping(request: RecordedRequest, base: string, listPath: string, item: (name: string) => unknown): StubResponse | undefined {
    if (request.pathname !== listPath) return undefined;
    const page = request.query.get('$skip') ?? 'A';
    const next = page === 'B' ? 'A' : 'B';
    return { status: 200, body: { value: [item(`item-${page}`)], nextLink: `${base}${listPath}?api-version=2024-10-01&$skip=${next}` } };
  }

  function assertRepeated(error: { code: string; message: string }): void {
    assert.equal(error.code, 'InvalidResponse');
    assert.match(error.message, repeatedMessage);
  }

  it('datastores.listAll rejects', async () => {
    const listPath = `${workspacePath(fixture)}/datastores`;
    stub.answer((request, base) => looping(request, base, listPath, (name) => ({ ...datastore, name })) ?? { status: 404 });
    assertRepeated(await rejection(drain(workspaceClientFor(stub, fixture).datastores.listAll())));
    assert.equal(stub.requests.length, 3, 'A, B, then A again: no further page');
  });

  it('components.listAll rejects', async () => {
    const listPath = `${workspacePath(fixture)}/components`;
    stub.answer((request, base) => looping(request, base, listPath, (name) => ({
      id: `${listPath}/${name}`, name, type: 'Microsoft.MachineLearningServices/workspaces/components', properties: {},
    })) ?? { status: 404 });
    assertRepeated(await rejection(drain(workspaceClientFor(stub, fixture).components.listAll())));
  });

  it('collectPages (the CLI lists) rejects the same way', async () => {
    const listPath = `${workspacePath(fixture)}/datastores`;
    stub.answer((request, base) => looping(request, base, listPath, (name) => ({ ...datastore, name })) ?? { status: 404 });
    const client = workspaceClientFor(stub, fixture);
    assertRepeated(await rejection(collectPages((t) => client.datastores.list(t ? { continuationToken: t } : {}))));
  });

  it('a tenant whose subscription list repeats is reported as failed, not listed in part', async () => {
    stub.answer((request, base) => {
      if (request.pathname === '/tenants') return { status: 200, body: { value: [{ id: '/tenants/t1', tenantId: 't1', displayName: 'One' }] } };
      if (request.pathname !== '/subscriptions') return { status: 404 };
      const page = request.query.get('$skiptoken') ?? 'A';
      return {
        status: 200,
        body: {
          value: [{ id: `/subscriptions/s${page}`, subscriptionId: `s${page}`, displayName: page, tenantId: 't1', state: 'Enabled' }],
          nextLink: `${base}/subscriptions?api-version=${subscriptionsApiVersion}&$skiptoken=${page === 'B' ? 'A' : 'B'}`,
        },
      };
    });
    const listing = await listSubscriptionsAcrossTenants(stubCloud(stub), stubCredential(), () => stubCredential());
    assert.deepEqual(listing.subscriptions, []);
    assert.equal(listing.failures.length, 1);
    assertRepeated(listing.failures[0]!.error);
  });

  describe('export', () => {
    let folder: string;
    beforeEach(async () => {
      folder = await mkdtemp(path.join(os.tmpdir(), 'azml-repeated-next-link-'));
    });
    afterEach(async () => {
      await rm(folder, { recursive: true, force: true });
    });

    /** The workspace, `looping` for one list, every other list empty. */
    function exportStub(listPath: string, item: (name: string) => unknown, others: (request: RecordedRequest) => StubResponse | undefined = () => undefined): void {
      stub.answer((request, base) => {
        if (request.pathname === workspacePath(fixture)) {
          const { properties } = workspace as { properties: Record<string, unknown> };
          return { status: 200, body: { ...workspace as object, properties: { ...properties, discoveryUrl: `${base}/discovery` } } };
        }
        if (request.pathname === '/discovery') return { status: 200, body: { api: base } };
        return looping(request, base, listPath, item) ?? others(request) ?? { status: 200, body: { value: [] } };
      });
    }

    it('a kind whose list repeats fails the export, which stays unfinished (no index.json)', async () => {
      const listPath = `${workspacePath(fixture)}/computes`;
      exportStub(listPath, (name) => ({ id: `${listPath}/${name}`, name, properties: { computeType: 'AmlCompute' } }));
      assertRepeated(await rejection(exportWorkspaceData({ client: workspaceClientFor(stub, fixture), folder })));
      assert.ok(!(await readdir(folder)).includes('index.json'), 'the export must not look complete');
    });

    it('an item whose version list repeats fails the export too', async () => {
      const codes = `${workspacePath(fixture)}/codes`;
      exportStub(`${codes}/c1/versions`, (name) => ({ id: `${codes}/c1/versions/${name}`, name, properties: { codeUri: 'https://a.blob.core.windows.net/c/x' } }),
        (request) => request.pathname === codes
          ? { status: 200, body: { value: [{ id: `${codes}/c1`, name: 'c1', properties: {} }] } }
          : undefined);
      assertRepeated(await rejection(exportWorkspaceData({ client: workspaceClientFor(stub, fixture), folder })));
      assert.ok(!(await readdir(folder)).includes('index.json'), 'the export must not look complete');
    });
  });
});
