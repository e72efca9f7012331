import type { Experiment } from '../../azure/domain';
import type { ActiveWorkspaceContext, WorkspaceList } from '../workspaceListRoot';
import { ExperimentNode } from './experimentNode';
import type { PrimaryMetricCache } from './primaryMetricCache';
import type { RunDetailsCache } from './runDetailsCache';

/** The active workspace's experiments, each with its runs, newest first. */
export function experimentsList({ client, rerender }: ActiveWorkspaceContext, runDetails: RunDetailsCache, primaryMetrics: PrimaryMetricCache): WorkspaceList<Experiment> {
  return {
    fetchPage: (continuationToken) => client.runHistory.listExperiments(continuationToken ? { continuationToken } : {}),
    toNode: (experiment) => new ExperimentNode(experiment, client, runDetails, rerender, primaryMetrics),
  };
}
