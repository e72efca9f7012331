import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { useNumberLocale } from '../core/format';

type ConfigureL10n = typeof l10n.config;

/**
 * The vscode-free layers (src/azure, src/core, the forms' rules) translate with @vscode/l10n,
 * English unless configured. Each bundle holding a copy of it (extension.js, azureModules.js)
 * gets VS Code's chosen translation and number format; the CLI never configures them and stays English.
 */
export function useDisplayLanguage(configure: ConfigureL10n = l10n.config, useLocale: (locale: string) => void = useNumberLocale): void {
  const bundle = vscode.l10n.bundle;
  if (bundle) configure({ contents: bundle });
  useLocale(vscode.env.language);
}
