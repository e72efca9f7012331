import type { ErrorNode } from '../tree/messageNodes';
import type { LoadMoreNode } from '../tree/pagedChildren';
import type { CommandFactory } from './commandContext';

export const refreshWorkspaces: CommandFactory = ({ views }) => async () => views.workspaces.refresh();
export const refreshDatastores: CommandFactory = ({ views }) => async () => views.datastores.refresh();
export const refreshExperiments: CommandFactory = ({ views }) => async () => views.experiments.refresh();
export const refreshModels: CommandFactory = ({ views }) => async () => views.models.refresh();

export const loadMore: CommandFactory = () => async (node: LoadMoreNode) => node.pages.loadMore();
export const retry: CommandFactory = () => async (node: ErrorNode) => node.retry();
export const showLog: CommandFactory = ({ log }) => async () => log.show();
