import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AzureMlExtensionApi } from '../../src/extension';

/** A tree as a test sees it: the provider's nodes and the items VS Code would render. */
export interface TreeLike {
  getChildren(node?: unknown): vscode.ProviderResult<unknown[]>;
  getTreeItem(node: unknown): vscode.TreeItem | Thenable<vscode.TreeItem>;
}

export interface Row {
  node: unknown;
  item: vscode.TreeItem;
  label: string;
}

export async function rows(tree: TreeLike, node?: unknown): Promise<Row[]> {
  const children = (await tree.getChildren(node)) ?? [];
  return Promise.all(children.map(async (child) => {
    const item = await tree.getTreeItem(child);
    const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
    return { node: child, item, label };
  }));
}

export async function row(tree: TreeLike, label: string, node?: unknown): Promise<Row> {
  const all = await rows(tree, node);
  const found = all.find((r) => r.label === label);
  assert.ok(found, `"${label}" not among: ${all.map((r) => r.label).join(', ')}`);
  return found;
}

export function iconId(item: vscode.TreeItem): string | undefined {
  return item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
}

export async function extensionApi(): Promise<AzureMlExtensionApi> {
  const extension = vscode.extensions.getExtension<AzureMlExtensionApi | undefined>('azureml-workbench.azureml-workbench');
  assert.ok(extension, 'the extension is installed in the host');
  const api = await extension.activate();
  assert.ok(api, 'the extension returns its test API (only when VS Code runs it in Test mode)');
  return api;
}

/** Waits until a condition holds (the views update asynchronously after events). */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
