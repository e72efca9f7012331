import { scopeOf, wsPattern, workspaceFromParams, type ApiContext } from '../context';
import { envelope, newAudit, touchAudit } from '../arm/envelope';
import { workspaceResourceId } from '../arm/ids';
import { badRequest, conflict, notFound, type ApiError } from '../http/apiError';
import { createdHeaders, queryInteger, queryValue, type RequestContext } from '../http/requestContext';
import type { RouteDefinition } from '../http/router';
import { sendEmpty, sendJson } from '../http/respond';
import { pageOf } from '../paging';
import type { AssetContainerRecord, AssetVersionRecord, Audit } from '../store/records';
import { versionKey, type AssetCollections, type WorkspaceData } from '../store/workspaceStore';
import {
  assetVersionPattern, bodyProperties, checkAssetName, clone, isObject, jsonEqual, optionalBoolean, optionalString,
  optionalStringMap, requireName, type JsonObject,
} from '../validation';
import type { Disposable } from '../types';
import { compareVersions, listViewTypeOf, matchesViewType } from './listFilters';

/** What differs between code and model assets. */
export interface AssetKind {
  /** URL segment under the workspace: `codes`, `models`. */
  segment: string;
  label: string;
  containerType: string;
  versionType: string;
  collections(data: WorkspaceData): AssetCollections;
  /** Checks the kind-specific fields of a version PUT; may fill defaults in place. */
  validateVersion(props: JsonObject): void;
  /** Fields that cannot change once a version exists. */
  immutableFields: readonly string[];
  /**
   * The versions a list request asks for, before view-type filtering, ordering and paging.
   * Default: the versions of the named container.
   */
  selectVersions?(ctx: RequestContext, all: AssetVersionRecord[], name: string): AssetVersionRecord[];
  /** The error Azure ML answers to listing the versions of a container that does not exist (else an empty list). */
  missingContainer?(name: string): ApiError;
}

const readOnlyContainerFields = ['latestVersion', 'nextVersion', 'provisioningState'];
const readOnlyVersionFields = ['provisioningState'];

function validateCommon(props: JsonObject): void {
  optionalString(props, 'description', 'properties.description');
  optionalStringMap(props, 'tags', 'properties.tags');
  optionalStringMap(props, 'properties', 'properties.properties');
  optionalBoolean(props, 'isArchived', 'properties.isArchived');
}

/** A version a client registered through PUT (not one the demo seed made). */
export interface RegisteredVersion {
  workspace: string;
  workspaceId: string;
  name: string;
  version: string;
  tags: Record<string, string>;
  properties: Record<string, string>;
}

export class AssetRegistry {
  private readonly registeredListeners = new Set<(version: RegisteredVersion) => void>();

  constructor(private readonly api: ApiContext, private readonly kind: AssetKind) {}

  /** Called after a new version was stored and answered. */
  onVersionRegistered(listener: (version: RegisteredVersion) => void): Disposable {
    this.registeredListeners.add(listener);
    return { dispose: () => this.registeredListeners.delete(listener) };
  }

  private idOf(data: WorkspaceData, name: string, version?: string): string {
    const base = `${workspaceResourceId(scopeOf(this.api, data))}/${this.kind.segment}/${name}`;
    return version === undefined ? base : `${base}/versions/${version}`;
  }

  renderContainer(data: WorkspaceData, c: AssetContainerRecord): unknown {
    const properties: JsonObject = {
      isArchived: false,
      ...c.properties,
      latestVersion: c.latestVersion ?? null,
      nextVersion: String(c.highestNumericVersion + 1),
      provisioningState: 'Succeeded',
    };
    return envelope(this.idOf(data, c.name), c.name, this.kind.containerType, properties, c);
  }

  renderVersion(data: WorkspaceData, v: AssetVersionRecord): unknown {
    const properties: JsonObject = { isAnonymous: false, isArchived: false, ...v.properties, provisioningState: 'Succeeded' };
    return envelope(this.idOf(data, v.name, v.version), v.version, this.kind.versionType, properties, v);
  }

  private container(data: WorkspaceData, name: string): AssetContainerRecord {
    const c = this.kind.collections(data).containers.get(name);
    if (!c) throw notFound(`The ${this.kind.label} '${name}' was not found in workspace '${data.record.name}'.`);
    return c;
  }

  private version(data: WorkspaceData, name: string, version: string): AssetVersionRecord {
    const v = this.kind.collections(data).versions.get(versionKey(name, version));
    if (!v) throw notFound(`Version '${version}' of ${this.kind.label} '${name}' was not found in workspace '${data.record.name}'.`);
    return v;
  }

  private versionsOf(data: WorkspaceData, name: string): AssetVersionRecord[] {
    return this.kind.collections(data).versions.values().filter((v) => v.name === name);
  }

  /** Creates or updates a container; without `props` it only makes sure the container exists. */
  upsertContainer(
    data: WorkspaceData, name: string, props: JsonObject | undefined, audit?: Audit,
  ): { record: AssetContainerRecord; created: boolean } {
    const { containers } = this.kind.collections(data);
    const existing = containers.get(name);
    if (existing) {
      if (props) {
        existing.properties = props;
        touchAudit(existing, this.api.now(), this.api.user);
        containers.touch();
      }
      return { record: existing, created: false };
    }
    const record: AssetContainerRecord = {
      ...(audit ?? newAudit(this.api.now(), this.api.user)), name, properties: props ?? {}, highestNumericVersion: 0,
    };
    containers.set(record);
    return { record, created: true };
  }

  async putContainer(ctx: RequestContext): Promise<void> {
    const data = workspaceFromParams(this.api, ctx.params);
    const name = ctx.params['name']!;
    checkAssetName(this.kind.label, name);
    const props = clone(bodyProperties(ctx.body));
    validateCommon(props);
    for (const field of readOnlyContainerFields) delete props[field];
    const { record, created } = this.upsertContainer(data, name, props);
    await this.api.store.commit();
    sendJson(ctx.res, created ? 201 : 200, this.renderContainer(data, record), created ? createdHeaders(ctx) : {});
  }

  async putVersion(ctx: RequestContext): Promise<void> {
    const data = workspaceFromParams(this.api, ctx.params);
    const { record, created } = this.storeVersion(data, ctx.params['name']!, ctx.params['version']!, bodyProperties(ctx.body));
    await this.api.store.commit();
    sendJson(ctx.res, created ? 201 : 200, this.renderVersion(data, record), created ? createdHeaders(ctx) : {});
    if (!created) return;
    const registered: RegisteredVersion = {
      workspace: data.record.name,
      workspaceId: data.record.workspaceId,
      name: record.name,
      version: record.version,
      tags: stringMapOf(record.properties['tags']),
      properties: stringMapOf(record.properties['properties']),
    };
    for (const listener of this.registeredListeners) {
      try {
        listener(registered);
      } catch {
        // The API must not fail because an observer did.
      }
    }
  }

  /**
   * Validates and stores a version (creating its container on the first one). `audit`
   * backdates a new version (used by the demo seed).
   */
  storeVersion(
    data: WorkspaceData, name: string, version: string, input: JsonObject, audit?: Audit,
  ): { record: AssetVersionRecord; created: boolean } {
    checkAssetName(this.kind.label, name);
    requireName(`${this.kind.label} version`, version, assetVersionPattern,
      'it must start with a letter or digit and contain only letters, digits, \'.\', \'-\' and \'_\'.');
    const props = clone(input);
    validateCommon(props);
    optionalBoolean(props, 'isAnonymous', 'properties.isAnonymous');
    this.kind.validateVersion(props);
    for (const field of readOnlyVersionFields) delete props[field];

    const { versions, containers } = this.kind.collections(data);
    const existing = versions.get(versionKey(name, version));
    if (existing) {
      for (const field of this.kind.immutableFields) {
        if (!jsonEqual(existing.properties[field], props[field])) {
          throw conflict(`Version '${version}' of ${this.kind.label} '${name}' already exists with a different '${field}'; versions cannot change their content. Create a new version instead.`);
        }
      }
      existing.properties = props;
      touchAudit(existing, this.api.now(), this.api.user);
      versions.touch();
      return { record: existing, created: false };
    }
    const { record: container } = this.upsertContainer(data, name, undefined, audit);
    const record: AssetVersionRecord = { ...(audit ?? newAudit(this.api.now(), this.api.user)), name: container.name, version, properties: props };
    versions.set(record);
    container.latestVersion = version;
    if (/^\d+$/.test(version)) container.highestNumericVersion = Math.max(container.highestNumericVersion, Number(version));
    containers.touch();
    return { record, created: true };
  }

  listContainers(ctx: RequestContext): void {
    const data = workspaceFromParams(this.api, ctx.params);
    const view = listViewTypeOf(ctx);
    const items = this.kind.collections(data).containers.values()
      .filter((c) => matchesViewType(c.properties, view))
      .sort((a, b) => a.name.localeCompare(b.name));
    sendJson(ctx.res, 200, pageOf(ctx, items, this.api.pageSize, (c) => this.renderContainer(data, c)));
  }

  listVersions(ctx: RequestContext): void {
    const data = workspaceFromParams(this.api, ctx.params);
    const name = ctx.params['name']!;
    if (this.kind.missingContainer && !this.kind.collections(data).containers.get(name)) throw this.kind.missingContainer(name);
    const view = listViewTypeOf(ctx);
    const all = this.kind.collections(data).versions.values();
    const selected = this.kind.selectVersions ? this.kind.selectVersions(ctx, all, name) : all.filter((v) => v.name === name);
    const top = queryInteger(ctx, '$top', 1);
    const offset = queryInteger(ctx, 'offset') ?? 0;
    const items = selected
      .filter((v) => matchesViewType(v.properties, view))
      .sort(versionOrder(queryValue(ctx, '$orderBy')))
      .slice(offset)
      .slice(0, top ?? undefined);
    sendJson(ctx.res, 200, pageOf(ctx, items, this.api.pageSize, (v) => this.renderVersion(data, v)));
  }

  async deleteContainer(ctx: RequestContext): Promise<void> {
    const data = workspaceFromParams(this.api, ctx.params);
    const { containers, versions } = this.kind.collections(data);
    const record = containers.get(ctx.params['name']!);
    if (!record) return sendEmpty(ctx.res, 204);
    // Deleting a parent ARM resource deletes its children.
    for (const v of this.versionsOf(data, record.name)) versions.delete(versionKey(v.name, v.version));
    containers.delete(record.name);
    await this.api.store.commit();
    sendEmpty(ctx.res, 200);
  }

  async deleteVersion(ctx: RequestContext): Promise<void> {
    const data = workspaceFromParams(this.api, ctx.params);
    const { containers, versions } = this.kind.collections(data);
    const name = ctx.params['name']!;
    const version = ctx.params['version']!;
    if (!versions.delete(versionKey(name, version))) return sendEmpty(ctx.res, 204);
    const container = containers.get(name);
    if (container && container.latestVersion === version) {
      const newest = this.versionsOf(data, name).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
      if (newest) container.latestVersion = newest.version;
      else delete container.latestVersion;
      containers.touch();
    }
    await this.api.store.commit();
    sendEmpty(ctx.res, 200);
  }

  routes(): RouteDefinition[] {
    const containers = `${wsPattern}/${this.kind.segment}`;
    const container = `${containers}/{name}`;
    const versions = `${container}/versions`;
    const version = `${versions}/{version}`;
    return [
      { method: 'GET', pattern: containers, handler: (ctx) => this.listContainers(ctx) },
      {
        method: 'GET', pattern: container,
        handler: (ctx) => {
          const data = workspaceFromParams(this.api, ctx.params);
          sendJson(ctx.res, 200, this.renderContainer(data, this.container(data, ctx.params['name']!)));
        },
      },
      { method: 'PUT', pattern: container, handler: (ctx) => this.putContainer(ctx) },
      { method: 'DELETE', pattern: container, handler: (ctx) => this.deleteContainer(ctx) },
      { method: 'GET', pattern: versions, handler: (ctx) => this.listVersions(ctx) },
      {
        method: 'GET', pattern: version,
        handler: (ctx) => {
          const data = workspaceFromParams(this.api, ctx.params);
          sendJson(ctx.res, 200, this.renderVersion(data, this.version(data, ctx.params['name']!, ctx.params['version']!)));
        },
      },
      { method: 'PUT', pattern: version, handler: (ctx) => this.putVersion(ctx) },
      { method: 'DELETE', pattern: version, handler: (ctx) => this.deleteVersion(ctx) },
    ];
  }
}

/** `$orderBy`: `createdtime|modifiedtime|version [asc|desc]`; default newest first. */
function versionOrder(orderBy: string | undefined): (a: AssetVersionRecord, b: AssetVersionRecord) => number {
  const [field = 'createdtime', direction = 'desc'] = (orderBy ?? '').trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (direction !== 'asc' && direction !== 'desc') throw badRequest(`Query parameter '$orderBy' must end in asc or desc.`, '$orderBy');
  const sign = direction === 'asc' ? 1 : -1;
  switch (field) {
    case 'createdtime': case 'createdat':
      return (a, b) => sign * (a.createdAt.localeCompare(b.createdAt) || compareVersions(a.version, b.version));
    case 'modifiedtime': case 'lastmodifiedat':
      return (a, b) => sign * a.lastModifiedAt.localeCompare(b.lastModifiedAt);
    case 'version':
      return (a, b) => sign * compareVersions(a.version, b.version);
    default:
      throw badRequest(`Query parameter '$orderBy' must order by createdtime, modifiedtime or version.`, '$orderBy');
  }
}

function stringMapOf(value: unknown): Record<string, string> {
  return isObject(value) ? (clone(value) as Record<string, string>) : {};
}
