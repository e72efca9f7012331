import * as vscode from 'vscode';
import type { Experiment, Job } from '../../azure/domain';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import { formatTimestamp } from '../../core/format';
import { PagedChildren } from '../pagedChildren';
import { TreeNode } from '../treeNode';
import type { PrimaryMetricCache } from './primaryMetricCache';
import type { RunDetailsCache } from './runDetailsCache';
import { RunNode } from './runNode';

/** The metric the user asked to see next to each run (`azureml.runs.primaryMetric`), if any. */
export function primaryMetricKey(): string | undefined {
  return vscode.workspace.getConfiguration('azureml.runs').get<string>('primaryMetric')?.trim() || undefined;
}

export class ExperimentNode extends TreeNode {
  readonly id: string;
  private readonly runs: PagedChildren<Job>;

  constructor(readonly experiment: Experiment, client: WorkspaceClient, runDetails: RunDetailsCache,
    rerender: (node: TreeNode | undefined) => void, primaryMetrics: PrimaryMetricCache) {
    super(undefined);
    this.id = `experiment/${experiment.name}`;
    this.runs = new PagedChildren<Job>(
      this,
      (continuationToken) => client.jobs.list({
        experimentName: experiment.name, listViewType: 'ActiveOnly', ...(continuationToken ? { continuationToken } : {}),
      }),
      (job) => new RunNode(this, job, () => runDetails.get(job.name), () => {
        const key = primaryMetricKey();
        const metric = key ? primaryMetrics.get(job.name, key) : undefined;
        return key && metric ? { key, value: metric.value } : undefined;
      }),
      rerender,
      vscode.l10n.t('No runs'),
      (jobs, nodes) => {
        const byName = new Map(nodes.map((n) => [(n as RunNode).job.name, n]));
        void runDetails.fill(client, jobs.map((j) => j.name), (name) => rerender(byName.get(name)));
        const key = primaryMetricKey();
        if (key) void primaryMetrics.fill(client.metrics, jobs.map((j) => j.name), key, (name) => rerender(byName.get(name)));
      },
    );
  }

  getTreeItem(): vscode.TreeItem {
    const e = this.experiment;
    const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = new vscode.ThemeIcon('beaker');
    item.contextValue = 'experiment';
    item.tooltip = [e.name, e.description, e.createdAt ? vscode.l10n.t('Created {0}', formatTimestamp(e.createdAt) ?? '') : undefined].filter(Boolean).join('\n');
    return item;
  }

  override getChildren(): Promise<TreeNode[]> {
    return this.runs.get();
  }

  override reset(): void {
    this.runs.reset();
  }
}
