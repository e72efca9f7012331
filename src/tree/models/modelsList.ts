import type { ModelContainer } from '../../azure/domain';
import type { ActiveWorkspaceContext, WorkspaceList } from '../workspaceListRoot';
import { ModelNode } from './modelNodes';

/** The active workspace's models, each with its versions. */
export function modelsList({ client, rerender }: ActiveWorkspaceContext): WorkspaceList<ModelContainer> {
  return {
    fetchPage: (continuationToken) => client.models.list(continuationToken ? { continuationToken } : {}),
    toNode: (model) => new ModelNode(model, client, rerender),
  };
}
