import * as l10n from '@vscode/l10n';

/** The page a webview (a registration form, a run metrics panel) loads: nothing inline, everything from `media/`. */
export interface WebviewPage {
  title: string;
  /** The webview's `cspSource`. */
  cspSource: string;
  /** A fresh random nonce per page: the only script that runs is the one carrying it. */
  nonce: string;
  scriptUri: string;
  styleUris: string[];
  /** The display language's translations (VS Code's l10n bundle), for the webview's own strings. */
  messages?: Record<string, string>;
  language?: string;
  /** The id of the element the script builds its view in (default `form-root`). */
  rootId?: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The Content-Security-Policy of every webview: no inline script or style, resources from the extension only. */
export function webviewContentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** JSON that can sit inside a <script> element: "<" never appears, so neither can "</script>". */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function webviewHtml(page: WebviewPage): string {
  const attr = escapeHtml;
  return `<!DOCTYPE html>
<html lang="${attr(page.language ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(webviewContentSecurityPolicy(page.cspSource, page.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${page.styleUris.map((uri) => `<link rel="stylesheet" href="${attr(uri)}">`).join('\n')}
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<main id="${attr(page.rootId ?? 'form-root')}" aria-busy="true"><p class="loading">${escapeHtml(l10n.t('Loading…'))}</p></main>
<script type="application/json" id="l10n-messages" nonce="${attr(page.nonce)}">${scriptJson(page.messages ?? {})}</script>
<script nonce="${attr(page.nonce)}" src="${attr(page.scriptUri)}"></script>
</body>
</html>
`;
}
