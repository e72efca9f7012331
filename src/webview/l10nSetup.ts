/**
 * Gives @vscode/l10n the display language's messages that the host put in the page. Imported
 * first by each form's entry module, so that every string built while the modules load is translated.
 */
import * as l10n from '@vscode/l10n';

const element = document.getElementById('l10n-messages');
const messages = element?.textContent ? JSON.parse(element.textContent) as Record<string, string> : {};
if (Object.keys(messages).length > 0) l10n.config({ contents: messages });
