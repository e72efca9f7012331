import * as vscode from 'vscode';
import type { Page } from '../azure/domain';
import { TreeNode } from './treeNode';

/**
 * Children that come from the service one page at a time. The first page loads when the parent
 * expands; "Load more…" fetches the next. Nothing ever loads the whole list.
 */
export class PagedChildren<T> implements MorePages {
  private nodes: TreeNode[] = [];
  private continuationToken: string | undefined;
  private loaded = false;
  private loadingMore: Promise<void> | undefined;

  constructor(
    private readonly owner: TreeNode | undefined,
    private readonly fetchPage: (continuationToken: string | undefined) => Promise<Page<T>>,
    private readonly toNode: (item: T) => TreeNode,
    /** Re-renders the owner (the whole view when the owner is the root). */
    private readonly rerender: (owner: TreeNode | undefined) => void,
    private readonly emptyLabel?: string,
    /** Called with each page's items once they are shown, e.g. to fetch details in the background. */
    private readonly onPageShown?: (items: T[], nodes: TreeNode[]) => void,
  ) {}

  async get(): Promise<TreeNode[]> {
    if (!this.loaded) await this.loadNextPage();
    const children = [...this.nodes];
    if (this.continuationToken) children.push(new LoadMoreNode(this.owner, this));
    if (children.length === 0 && this.emptyLabel) children.push(new EmptyNode(this.owner, this.emptyLabel));
    return children;
  }

  /** Loads the next page and re-renders; concurrent clicks share one request. */
  loadMore(): Promise<void> {
    this.loadingMore ??= this.loadNextPage()
      .then(() => this.rerender(this.owner))
      .finally(() => {
        this.loadingMore = undefined;
      });
    return this.loadingMore;
  }

  get loadedCount(): number {
    return this.nodes.length;
  }

  reset(): void {
    this.nodes = [];
    this.continuationToken = undefined;
    this.loaded = false;
  }

  private async loadNextPage(): Promise<void> {
    const page = await this.fetchPage(this.loaded ? this.continuationToken : undefined);
    const nodes = page.items.map((item) => this.toNode(item));
    this.nodes.push(...nodes);
    this.continuationToken = page.continuationToken;
    this.loaded = true;
    this.onPageShown?.(page.items, nodes);
  }
}

/** What a "Load more…" item needs of its list. */
export interface MorePages {
  loadMore(): Promise<void>;
  readonly loadedCount: number;
}

export class LoadMoreNode extends TreeNode {
  readonly id: string;

  constructor(parent: TreeNode | undefined, readonly pages: MorePages) {
    super(parent);
    this.id = `${parent?.id ?? 'root'}/loadMore`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'loadMore';
    item.tooltip = vscode.l10n.t('{0} loaded. Load the next page.', this.pages.loadedCount);
    item.command = { title: vscode.l10n.t('Load More'), command: 'azureml.loadMore', arguments: [this] };
    return item;
  }
}

class EmptyNode extends TreeNode {
  readonly id: string;

  constructor(parent: TreeNode | undefined, private readonly label: string) {
    super(parent);
    this.id = `${parent?.id ?? 'root'}/empty`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.contextValue = 'empty';
    return item;
  }
}
