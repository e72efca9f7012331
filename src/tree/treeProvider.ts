import * as vscode from 'vscode';
import type { DescribedError } from '../ui/describeError';
import type { Log } from '../ui/log';
import { ErrorNode } from './messageNodes';
import { TreeNode } from './treeNode';

/** The invisible root of a tree: its children are the top-level items. */
export abstract class RootNode extends TreeNode {
  readonly id = 'root';
  constructor() {
    super(undefined);
  }
  getTreeItem(): vscode.TreeItem {
    return new vscode.TreeItem('root');
  }
}

/**
 * One provider for every Azure ML view: a failure to load children becomes an ErrorNode that
 * says what went wrong and offers the remedy, never a silently empty tree.
 */
export class AzureMlTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private root: RootNode;
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    readonly viewId: string,
    private readonly createRoot: (provider: AzureMlTreeProvider) => RootNode,
    private readonly describe: (error: unknown) => DescribedError,
    private readonly log: Log,
  ) {
    this.root = createRoot(this);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = node.getTreeItem();
    item.id = node.id;
    return item;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    const parent = node ?? this.root;
    try {
      return await parent.getChildren();
    } catch (error) {
      const described = this.describe(error);
      this.log.error(node
        ? vscode.l10n.t('{0}: could not load the children of {1}', this.viewId, node.id)
        : vscode.l10n.t('{0}: could not load the view', this.viewId), error);
      return [new ErrorNode(node, described, () => this.refresh(node))];
    }
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  /** Reloads a node's children from the service (the whole view without a node). */
  refresh(node?: TreeNode): void {
    if (node) {
      node.reset();
      this.changed.fire(node);
    } else {
      this.root = this.createRoot(this);
      this.changed.fire(undefined);
    }
  }

  /** Re-renders without reloading (after "Load more…", or when a node's details arrive). */
  rerender(node?: TreeNode): void {
    this.changed.fire(node === this.root ? undefined : node);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
