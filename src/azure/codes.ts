import * as l10n from '@vscode/l10n';
import type { AssetContainer, CodeVersion, CodeVersionInput, Page, PendingUpload } from './domain';
import { armIdSegment, mapAssetContainer, mapCodeVersion, mapPendingUpload, toSdkCodeVersion } from './mappers';
import { readSdkPage } from './paging';
import { callService, sendJson } from './serviceCall';
import { mayReceiveStorageCredential, untrustedHostError } from './trustedHosts';
import { workspaceArmUrl, type WorkspaceContext } from './workspaceContext';

/** The snapshot hash algorithm version azure-ai-ml uses (`hash_version`). */
export const codeHashVersion = '202208';

/**
 * Code assets (job snapshots). Get/create go through @azure/arm-machinelearning; the hash
 * lookup and startPendingUpload are not in it and go raw through the same client pipeline.
 */
export class CodeOperations {
  constructor(private readonly context: WorkspaceContext) {}

  private get rg(): string {
    return this.context.workspace.resourceGroup;
  }
  private get ws(): string {
    return this.context.workspace.workspaceName;
  }

  listContainers(options: { continuationToken?: string } = {}): Promise<Page<AssetContainer>> {
    return readSdkPage(this.context.client.codeContainers.list(this.rg, this.ws), options.continuationToken, mapAssetContainer);
  }

  listVersions(name: string, options: { continuationToken?: string } = {}): Promise<Page<CodeVersion>> {
    return readSdkPage(this.context.client.codeVersions.list(this.rg, this.ws, name), options.continuationToken,
      (raw) => mapCodeVersion(raw, name));
  }

  getVersion(name: string, version: string): Promise<CodeVersion> {
    return callService(async () =>
      mapCodeVersion(await this.context.client.codeVersions.get(this.rg, this.ws, name, version), name));
  }

  createOrUpdateVersion(name: string, version: string, input: CodeVersionInput): Promise<CodeVersion> {
    return callService(async () => mapCodeVersion(
      await this.context.client.codeVersions.createOrUpdate(this.rg, this.ws, name, version, toSdkCodeVersion(input)),
      name));
  }

  /**
   * A code version with this content hash, whatever its name (the service matches on the hash;
   * `name` only fills the URL), or undefined. The hit is read again by its own id.
   */
  async findVersionByHash(name: string, hashSha256: string, hashVersion = codeHashVersion): Promise<CodeVersion | undefined> {
    const url = workspaceArmUrl(this.context, `/codes/${encodeURIComponent(name)}/versions`, { hash: hashSha256, hashVersion });
    const { body } = await sendJson<{ value?: unknown[] }>(this.context.client, { method: 'GET', url });
    const hit = body?.value?.[0] as Record<string, unknown> | undefined;
    if (!hit) return undefined;
    const id = typeof hit['id'] === 'string' ? hit['id'] : undefined;
    const hitName = armIdSegment(id, 'codes');
    const hitVersion = armIdSegment(id, 'versions');
    if (hitName && hitVersion) return this.getVersion(hitName, hitVersion);
    return mapCodeVersion(hit, name);
  }

  /** A container URL with a SAS token to upload the snapshot of `name`/`version` to. */
  async startPendingUpload(name: string, version: string): Promise<PendingUpload> {
    const url = workspaceArmUrl(
      this.context, `/codes/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/startPendingUpload`);
    const { body } = await sendJson<unknown>(this.context.client, {
      method: 'POST', url, body: { pendingUploadType: 'TemporaryBlobReference' },
    });
    const pending = mapPendingUpload(body);
    if (!mayReceiveStorageCredential(this.context.cloud, pending.sasUri)) {
      throw untrustedHostError(this.context.cloud, pending.sasUri, l10n.t('the code snapshot'));
    }
    return pending;
  }
}
