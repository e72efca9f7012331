import * as l10n from '@vscode/l10n';

/** A service status as the user reads it (the service's own word when it is not one of these). */
export function runStatusText(status: string): string {
  switch (status) {
    case 'NotStarted': return l10n.t('Not started');
    case 'Starting': return l10n.t('Starting');
    case 'Provisioning': return l10n.t('Provisioning');
    case 'Preparing': return l10n.t('Preparing');
    case 'Queued': return l10n.t('Queued');
    case 'Running': return l10n.t('Running');
    case 'Finalizing': return l10n.t('Finalizing');
    case 'CancelRequested': return l10n.t('Cancel requested');
    case 'Completed': return l10n.t('Completed');
    case 'Failed': return l10n.t('Failed');
    case 'NotResponding': return l10n.t('Not responding');
    case 'Canceled': return l10n.t('Canceled');
    case 'Paused': return l10n.t('Paused');
    case 'Submitted': return l10n.t('Submitted');
    default: return status;
  }
}
