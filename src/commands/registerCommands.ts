import * as vscode from 'vscode';
import { describeError } from '../ui/describeError';
import { UserCancelledError } from '../ui/prompts';
import type { CommandContext, CommandFactory } from './commandContext';

/**
 * Registers every command through one wrapper: a user cancel shows nothing; any other error
 * becomes one readable message with its remedy as a button, and its details go to the log.
 */
export function registerCommands(
  extensionContext: vscode.ExtensionContext,
  context: CommandContext,
  factories: Readonly<Record<string, CommandFactory>>,
): void {
  for (const [id, factory] of Object.entries(factories)) {
    const handler = factory(context) as (...args: unknown[]) => Promise<unknown>;
    extensionContext.subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        if (error instanceof UserCancelledError || (error as { name?: string }).name === 'AbortError') return undefined;
        context.log.error(vscode.l10n.t('Command {0} failed', id), error);
        const described = describeError(error, context.connections.errorContext);
        const buttons = described.remedy ? [described.remedy.title, vscode.l10n.t('Show Log')] : [vscode.l10n.t('Show Log')];
        void vscode.window.showErrorMessage(described.message, ...buttons).then((choice) => {
          if (choice === vscode.l10n.t('Show Log')) context.log.show();
          else if (choice && described.remedy) void vscode.commands.executeCommand(described.remedy.command);
        });
        return undefined;
      }
    }));
  }
}
