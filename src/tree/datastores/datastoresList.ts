import type { Datastore } from '../../azure/domain';
import type { ActiveWorkspaceContext, WorkspaceList } from '../workspaceListRoot';
import { DatastoreNode } from './datastoreNode';
import { DatastoreStorageAccess } from './datastoreStorageAccess';

/** The active workspace's datastores. */
export function datastoresList({ client, connection, workspace, rerender }: ActiveWorkspaceContext): WorkspaceList<Datastore> {
  return {
    fetchPage: (continuationToken) => client.datastores.list(continuationToken ? { continuationToken } : {}),
    toNode: (datastore) => new DatastoreNode(datastore, new DatastoreStorageAccess(datastore, client, connection, workspace), rerender),
  };
}
