// Renders media/icon.svg to media/icon.png (128×128, the marketplace icon) with the headless
// Chromium the e2e tests use.
//
//   node scripts/renderIcon.mjs
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser } from './vscode-host/browser.mjs';
import { repoRoot } from './vscode-host/paths.mjs';

const SIZE = 128;

export async function renderIcon() {
  const svg = readFileSync(join(repoRoot, 'media', 'icon.svg'), 'utf8');
  const browser = await launchBrowser({ viewport: { width: SIZE, height: SIZE } });
  try {
    const { page } = browser;
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    const png = await page.locator('svg').screenshot({ omitBackground: true });
    const out = join(repoRoot, 'media', 'icon.png');
    writeFileSync(out, png);
    return { path: out, bytes: statSync(out).size };
  } finally {
    await browser.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { path, bytes } = await renderIcon();
  console.log(`Wrote ${path} (${bytes} bytes).`);
}
