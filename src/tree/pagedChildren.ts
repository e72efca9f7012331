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
  private examined: number | undefined;

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

  get examinedCount(): number | undefined {
    return this.examined;
  }

  reset(): void {
    this.nodes = [];
    this.continuationToken = undefined;
    this.loaded = false;
    this.examined = undefined;
  }

  private async loadNextPage(): Promise<void> {
    const page = await this.fetchPage(this.loaded ? this.continuationToken : undefined);
    const nodes = page.items.map((item) => this.toNode(item));
    this.nodes.push(...nodes);
    this.continuationToken = page.continuationToken;
    if (page.examined !== undefined) this.examined = (this.examined ?? 0) + page.examined;
    this.loaded = true;
    this.onPageShown?.(page.items, nodes);
  }
}

/** What a "Load more…" item needs of its list. */
export interface MorePages {
  loadMore(): Promise<void>;
  readonly loadedCount: number;
  /** Set when the list is filtered here: how many of the service's items were checked so far. */
  readonly examinedCount?: number | undefined;
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
    const { loadedCount, examinedCount } = this.pages;
    if (examinedCount === undefined) {
      item.tooltip = vscode.l10n.t('{0} loaded. Load the next page.', loadedCount);
    } else {
      // The service cannot filter this list: say how much was looked at, so an empty next page is no surprise.
      item.description = vscode.l10n.t('{0} checked so far, {1} shown', examinedCount, loadedCount);
      item.tooltip = vscode.l10n.t('The service lists these page by page without this filter: {0} were checked so far and {1} matched. Load more checks the next page; it may find none.', examinedCount, loadedCount);
    }
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
