import * as vscode from 'vscode';
import type { ModelDraft } from '../../forms/protocol';
import { RegisterModelForm } from '../../forms/registerModelForm';
import { RunNode } from '../../tree/experiments/runNode';
import { ModelNode } from '../../tree/models/modelNodes';
import type { CommandFactory } from '../commandContext';

/** What the place the command was run from fills in: a run, a local file or folder, a model. */
function presetFrom(arg: unknown): ((draft: ModelDraft) => ModelDraft) | undefined {
  if (arg instanceof RunNode) {
    const job = arg.job;
    return (d) => ({ ...d, source: 'run', experimentName: job.experimentName, jobName: job.name, runPath: '' });
  }
  if (arg instanceof vscode.Uri && arg.scheme === 'file') return (d) => ({ ...d, source: 'local', localPath: arg.fsPath });
  if (arg instanceof ModelNode) return (d) => ({ ...d, name: arg.model.name, version: arg.model.nextVersion ?? d.version });
  return undefined;
}

/** Opens the Register Model form (from the Models view, a run, or a local file or folder). */
export const registerModel: CommandFactory = (context) => async (arg?: unknown) => {
  const { client, connection, workspace } = await context.connections.activeWorkspaceClient();
  const form = new RegisterModelForm({
    client, connection, workspace, log: context.log,
    onRegistered: (model) => {
      context.views.models.refresh();
      void vscode.window.showInformationMessage(vscode.l10n.t('Registered model "{0}" version {1}.', model.name, model.version));
    },
  });
  context.forms.show(form, RegisterModelForm.initialDraft(), presetFrom(arg));
};
