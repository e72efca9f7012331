import type * as vscode from 'vscode';

/** One item of an Azure ML tree. Subclasses are one per tree level; `id` is stable across refreshes. */
export abstract class TreeNode {
  constructor(readonly parent: TreeNode | undefined) {}

  abstract readonly id: string;
  abstract getTreeItem(): vscode.TreeItem;

  getChildren(): Promise<TreeNode[]> {
    return Promise.resolve([]);
  }

  /** Forgets loaded children, so the next getChildren asks the service again. */
  reset(): void {}
}
