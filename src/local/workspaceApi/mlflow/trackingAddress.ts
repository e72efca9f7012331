import { createHmac, timingSafeEqual } from 'node:crypto';
import { workspaceResourceId, type WorkspaceScope } from '../arm/ids';

/**
 * Where a workspace's MLflow API is: `<base>/mlflow/v1.0/<workspace id>`. The workspace GET
 * answers it as `azureml://127.0.0.1:PORT/…`, the form Azure ML answers (clients read it as
 * plain `http://` on loopback); jobs get the `http://` form, which the `mlflow` client takes as is.
 */
export function trackingPath(scope: WorkspaceScope): string {
  return `/mlflow/v1.0${workspaceResourceId(scope)}`;
}

/**
 * The tracking token a job gets (`MLFLOW_TRACKING_TOKEN`): derived from the service's token and
 * the workspace, and accepted only by that workspace's MLflow routes, so a job's script never
 * holds the token that manages the whole service.
 */
export function trackingToken(serviceToken: string, workspace: string): string {
  return createHmac('sha256', serviceToken).update(`mlflow-tracking:${workspace.toLowerCase()}`).digest('base64url');
}

export function isTrackingToken(serviceToken: string, workspace: string, presented: string): boolean {
  const expected = Buffer.from(trackingToken(serviceToken, workspace));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
