import * as vscode from 'vscode';
import type { ModelContainer, ModelVersion } from '../../azure/domain';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import { maskSecrets, maskSecretValues } from '../../azure/secrets';
import { formatTimestamp } from '../../core/format';
import { PagedChildren } from '../pagedChildren';
import { TreeNode } from '../treeNode';

const modelTypeNames: Record<string, string> = {
  custom_model: 'custom', mlflow_model: 'MLflow', triton_model: 'Triton', CustomModel: 'custom',
};

/** Tags and descriptions are the user's free text: a SAS URL or key pasted into one is masked. */
function tagsMarkdown(tags: Record<string, string>): string {
  const entries = Object.entries(maskSecretValues(tags));
  return entries.length ? `\n\nTags: ${entries.map(([k, v]) => `\`${k}=${v}\``).join(' ')}` : '';
}

export class ModelNode extends TreeNode {
  readonly id: string;
  private readonly versions: PagedChildren<ModelVersion>;

  constructor(readonly model: ModelContainer, client: WorkspaceClient, rerender: (node: TreeNode | undefined) => void) {
    super(undefined);
    this.id = `model/${model.name}`;
    this.versions = new PagedChildren<ModelVersion>(
      this,
      (continuationToken) => client.models.listVersions(model.name, continuationToken ? { continuationToken } : {}),
      (version) => new ModelVersionNode(this, version),
      rerender,
      vscode.l10n.t('No versions'),
    );
  }

  getTreeItem(): vscode.TreeItem {
    const m = this.model;
    const item = new vscode.TreeItem(m.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = new vscode.ThemeIcon('package');
    item.description = m.latestVersion ? vscode.l10n.t('latest: {0}', m.latestVersion) : undefined;
    item.contextValue = 'model';
    const tooltip = new vscode.MarkdownString(`**${m.name}**`);
    if (m.description) tooltip.appendMarkdown('\n\n').appendText(maskSecrets(m.description));
    tooltip.appendMarkdown(tagsMarkdown(m.tags));
    item.tooltip = tooltip;
    return item;
  }

  override getChildren(): Promise<TreeNode[]> {
    return this.versions.get();
  }

  override reset(): void {
    this.versions.reset();
  }
}

export class ModelVersionNode extends TreeNode {
  readonly id: string;

  constructor(parent: ModelNode, readonly version: ModelVersion) {
    super(parent);
    this.id = `model/${version.name}/${version.version}`;
  }

  getTreeItem(): vscode.TreeItem {
    const v = this.version;
    const item = new vscode.TreeItem(vscode.l10n.t('Version {0}', v.version), vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('versions');
    const type = v.modelType ? (modelTypeNames[v.modelType] ?? v.modelType) : undefined;
    item.description = [type, formatTimestamp(v.createdAt)?.slice(0, 10), v.description && maskSecrets(v.description)].filter(Boolean).join(' · ');
    item.contextValue = 'modelVersion';
    const tooltip = new vscode.MarkdownString(`**${v.name}:${v.version}**\n\n`);
    const rows: Array<[string, string | undefined]> = [
      [vscode.l10n.t('Type'), type], [vscode.l10n.t('Created'), formatTimestamp(v.createdAt)], [vscode.l10n.t('Created by'), v.createdBy], [vscode.l10n.t('From run'), v.jobName], ['URI', v.modelUri && maskSecrets(v.modelUri)],
    ];
    tooltip.appendMarkdown(rows.filter(([, value]) => value).map(([k, value]) => `${k}: ${value}`).join('  \n'));
    if (v.description) tooltip.appendMarkdown('\n\n').appendText(maskSecrets(v.description));
    tooltip.appendMarkdown(tagsMarkdown(v.tags));
    item.tooltip = tooltip;
    return item;
  }
}
