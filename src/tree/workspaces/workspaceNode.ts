import * as vscode from 'vscode';
import type { Workspace } from '../../azure/domain';
import type { ActiveWorkspace, ConnectionKind } from '../../connection/connection';
import { TreeNode } from '../treeNode';

export function isSameWorkspace(a: ActiveWorkspace | undefined, b: ActiveWorkspace): boolean {
  return a !== undefined && a.subscriptionId === b.subscriptionId
    && a.resourceGroup.toLowerCase() === b.resourceGroup.toLowerCase() && a.workspaceName === b.workspaceName;
}

export class WorkspaceNode extends TreeNode {
  readonly id: string;
  readonly ref: ActiveWorkspace;

  constructor(parent: TreeNode, readonly workspace: Workspace, connectionKind: ConnectionKind, tenantId: string | undefined,
    private readonly isActive: (ref: ActiveWorkspace) => boolean) {
    super(parent);
    this.id = `workspace/${workspace.subscriptionId}/${workspace.resourceGroup}/${workspace.name}`.toLowerCase();
    this.ref = {
      connectionKind,
      ...(tenantId ? { tenantId } : {}),
      subscriptionId: workspace.subscriptionId,
      resourceGroup: workspace.resourceGroup,
      workspaceName: workspace.name,
    };
  }

  getTreeItem(): vscode.TreeItem {
    const active = this.isActive(this.ref);
    const w = this.workspace;
    const item = new vscode.TreeItem(w.displayName || w.name, vscode.TreeItemCollapsibleState.None);
    item.description = [w.location, w.resourceGroup].filter(Boolean).join(' · ') + (active ? vscode.l10n.t(' · active') : '');
    item.iconPath = active
      ? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'))
      : new vscode.ThemeIcon('beaker');
    item.contextValue = active ? 'workspace:active' : 'workspace';
    item.accessibilityInformation = {
      label: [
        active ? vscode.l10n.t('Workspace {0}, active', w.displayName || w.name) : vscode.l10n.t('Workspace {0}', w.displayName || w.name),
        vscode.l10n.t('resource group {0}', w.resourceGroup), w.location,
      ].filter(Boolean).join(', '),
    };
    const tooltip = new vscode.MarkdownString(undefined, true);
    const heading = active ? vscode.l10n.t('**{0}** (active)', w.name) : `**${w.name}**`;
    tooltip.appendMarkdown(`${heading}\n\n`);
    tooltip.appendMarkdown(vscode.l10n.t('Resource group: {0}  \nLocation: {1}  \nSubscription: {2}', w.resourceGroup, w.location ?? '—', w.subscriptionId));
    if (w.description) tooltip.appendMarkdown(`\n\n${w.description}`);
    item.tooltip = tooltip;
    item.command = { title: vscode.l10n.t('Set as Active Workspace'), command: 'azureml.setActiveWorkspace', arguments: [this] };
    return item;
  }
}
