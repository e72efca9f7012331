import * as vscode from 'vscode';
import type { DescribedError } from '../ui/describeError';
import { TreeNode } from './treeNode';

/** What went wrong, in the tree, with the remedy (or a retry) one click away. */
export class ErrorNode extends TreeNode {
  readonly id: string;

  constructor(parent: TreeNode | undefined, readonly error: DescribedError, readonly retry: () => void, idSuffix = 'error') {
    super(parent);
    this.id = `${parent?.id ?? 'root'}/${idSuffix}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.error.message, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.tooltip = this.error.message;
    item.contextValue = 'error';
    item.accessibilityInformation = {
      label: this.error.remedy
        ? vscode.l10n.t('Error: {0} Activate to {1}.', this.error.message, this.error.remedy.title)
        : vscode.l10n.t('Error: {0} Activate to retry.', this.error.message),
    };
    if (this.error.remedy) {
      item.description = `${this.error.remedy.title}…`;
      item.command = { title: this.error.remedy.title, command: this.error.remedy.command };
    } else {
      item.description = vscode.l10n.t('Retry');
      item.command = { title: vscode.l10n.t('Retry'), command: 'azureml.retry', arguments: [this] };
    }
    return item;
  }
}

/** A plain line of information, e.g. "No models yet". */
export class InfoNode extends TreeNode {
  readonly id: string;

  constructor(parent: TreeNode | undefined, private readonly label: string, idSuffix = 'info', private readonly tooltip?: string) {
    super(parent);
    this.id = `${parent?.id ?? 'root'}/${idSuffix}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.contextValue = 'info';
    if (this.tooltip) item.tooltip = this.tooltip;
    return item;
  }
}
