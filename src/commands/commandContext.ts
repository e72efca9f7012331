import type { Memento } from 'vscode';
import type { ConnectionManager } from '../connection/connectionManager';
import type { FormPanels } from '../forms/formPanels';
import type { AzureMlTreeProvider } from '../tree/treeProvider';
import type { Log } from '../ui/log';
import type { Prompts } from '../ui/prompts';

export interface AzureMlViews {
  workspaces: AzureMlTreeProvider;
  datastores: AzureMlTreeProvider;
  experiments: AzureMlTreeProvider;
  models: AzureMlTreeProvider;
}

/**
 * What command handlers work with. Read `prompts` when the handler runs, not in the factory:
 * tests swap it after registration.
 */
export interface CommandContext {
  readonly connections: ConnectionManager;
  readonly views: AzureMlViews;
  readonly log: Log;
  readonly prompts: Prompts;
  /** The open registration forms (webview panels). */
  readonly forms: FormPanels;
  /** Choices remembered for this workspace (e.g. the datastore folder each local folder was uploaded to). */
  readonly workspaceState: Memento;
  /** Where journals of uploads and downloads are kept, so interrupted ones can resume (the extension's global storage). */
  readonly journalRoot: string;
}

export type CommandHandler = (...args: never[]) => Promise<unknown>;
export type CommandFactory = (context: CommandContext) => CommandHandler;
