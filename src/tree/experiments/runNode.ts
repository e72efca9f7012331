import * as vscode from 'vscode';
import type { Job, RunDetails } from '../../azure/domain';
import { maskSecrets, maskSecretValues } from '../../azure/secrets';
import { formatAge, formatDuration, formatTimestamp } from '../../core/format';
import { TreeNode } from '../treeNode';
import { isActiveRunState, runState, runStatusIcon, runStatusText } from './runStatus';

/** Four significant digits: enough to tell runs apart at a glance (the panel has the exact value). */
function formatMetricValue(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}

function lastSegment(id: string | undefined): string | undefined {
  return id?.split('/').filter(Boolean).pop();
}

export class RunNode extends TreeNode {
  readonly id: string;

  constructor(
    parent: TreeNode,
    readonly job: Job,
    private readonly details: () => RunDetails | undefined,
    /** The latest value of the metric `azureml.runs.primaryMetric` names, once known. */
    private readonly primaryMetric: () => { key: string; value: number } | undefined = () => undefined,
  ) {
    super(parent);
    this.id = `run/${job.name}`;
  }

  getTreeItem(): vscode.TreeItem {
    const job = this.job;
    const details = this.details();
    const status = details?.status ?? job.status;
    const state = runState(status);
    const start = details?.startTime ?? job.startTime;
    const end = details?.endTime ?? job.endTime;
    const duration = formatDuration(start, end);

    const item = new vscode.TreeItem(job.displayName || job.name, vscode.TreeItemCollapsibleState.None);
    item.iconPath = runStatusIcon(state);
    const age = formatAge(job.createdAt);
    const statusText = runStatusText(status);
    const metric = this.primaryMetric();
    const metricText = metric ? `${metric.key} ${formatMetricValue(metric.value)}` : undefined;
    item.description = [metricText, statusText, duration, age].filter(Boolean).join(' · ');
    // The icon carries the state; a screen reader hears it in words.
    item.accessibilityInformation = {
      label: [vscode.l10n.t('Run {0}, {1}', job.displayName || job.name, statusText), metricText, duration ? vscode.l10n.t('duration {0}', duration) : undefined,
        age ? vscode.l10n.t('created {0}', age) : undefined].filter(Boolean).join(', '),
    };
    item.contextValue = `run:${state}${isActiveRunState(state) ? ':cancellable' : ''}`;

    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${job.displayName || job.name}**\n\n`);
    const rows: Array<[string, string | undefined]> = [
      [vscode.l10n.t('Run'), job.name],
      [vscode.l10n.t('Status'), runStatusText(status)],
      [vscode.l10n.t('Experiment'), job.experimentName],
      [vscode.l10n.t('Created'), [formatTimestamp(job.createdAt), job.createdBy ? vscode.l10n.t('by {0}', job.createdBy) : undefined].filter(Boolean).join(' ')],
      [vscode.l10n.t('Started'), formatTimestamp(start)],
      [vscode.l10n.t('Ended'), formatTimestamp(end)],
      [vscode.l10n.t('Duration'), duration],
      [vscode.l10n.t('Compute'), lastSegment(job.computeId)],
      [vscode.l10n.t('Environment'), job.environmentId],
    ];
    tooltip.appendMarkdown(rows.filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`).join('  \n'));
    if (job.command) tooltip.appendCodeblock(maskSecrets(job.command), 'shell');
    if (details?.error) tooltip.appendMarkdown('\n\n').appendMarkdown(vscode.l10n.t('**Error:** {0}', details.error.message));
    const tags = Object.entries(maskSecretValues(job.tags));
    if (tags.length) tooltip.appendMarkdown('\n\n').appendMarkdown(vscode.l10n.t('Tags: {0}', tags.map(([k, v]) => `\`${k}=${v}\``).join(' ')));
    item.tooltip = tooltip;
    item.command = { command: 'azureml.openRunDetails', title: vscode.l10n.t('Open Run Details'), arguments: [this] };
    return item;
  }
}
