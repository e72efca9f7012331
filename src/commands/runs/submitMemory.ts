import type * as vscode from 'vscode';
import { maskSecrets } from '../../azure/secrets';

/** What was picked when submitting from one folder, offered first next time. */
export interface FolderPicks {
  experimentName?: string;
  computeName?: string;
  environmentId?: string;
  displayName?: string;
  /** Command per script (relative path), as last edited. */
  commands?: Record<string, string>;
  inputValues?: Record<string, string>;
}

const folderPicksKey = 'azureml.submitPicks';
const recentEnvironmentsKey = 'azureml.recentEnvironments';
const maxRecentEnvironments = 5;

/** Workspace state is a plain file on disk: values that carry a secret are typed again, not stored. */
function withoutSecrets(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => maskSecrets(value) === value));
}

/** Submit choices: per folder in workspace state, recently used environments in global state. */
export class SubmitMemory {
  constructor(private readonly workspaceState: vscode.Memento, private readonly globalState: vscode.Memento) {}

  picksFor(folder: string): FolderPicks {
    return this.workspaceState.get<Record<string, FolderPicks>>(folderPicksKey)?.[folder] ?? {};
  }

  /** Remembers what was picked; a command or input value with a secret in it (a SAS URL, a key) is not kept. */
  async rememberPicks(folder: string, picks: FolderPicks): Promise<void> {
    const all = { ...(this.workspaceState.get<Record<string, FolderPicks>>(folderPicksKey) ?? {}) };
    const previous = all[folder] ?? {};
    all[folder] = {
      ...previous,
      ...picks,
      commands: withoutSecrets({ ...previous.commands, ...picks.commands }),
      inputValues: withoutSecrets({ ...previous.inputValues, ...picks.inputValues }),
    };
    await this.workspaceState.update(folderPicksKey, all);
  }

  recentEnvironments(): string[] {
    return this.globalState.get<string[]>(recentEnvironmentsKey) ?? [];
  }

  async rememberEnvironment(environmentId: string): Promise<void> {
    const recent = [environmentId, ...this.recentEnvironments().filter((e) => e !== environmentId)].slice(0, maxRecentEnvironments);
    await this.globalState.update(recentEnvironmentsKey, recent);
  }
}
