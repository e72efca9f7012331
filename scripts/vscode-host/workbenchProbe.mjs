// Lets a suite running inside the extension host read what the workbench shows (a notification,
// a status bar item): the host has no DOM, the runner's Chromium page does. A loopback HTTP
// server answers `GET <url>/texts?selector=<css>` with the inner texts of the matching elements,
// as a JSON array. Its address, with a random path so no other local user can read the page,
// reaches the host as AZML_TEST_WORKBENCH_PROBE.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

export const PROBE_URL_ENV = 'AZML_TEST_WORKBENCH_PROBE';

/**
 * @param {() => import('playwright-core').Page | undefined} currentPage the page, once it exists
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startWorkbenchProbe(currentPage) {
  const secret = randomBytes(16).toString('hex');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const page = currentPage();
    const selector = url.searchParams.get('selector');
    if (req.method !== 'GET' || url.pathname !== `/${secret}/texts` || !selector || !page) {
      res.writeHead(404).end();
      return;
    }
    page.locator(selector).allInnerTexts().then(
      (texts) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(texts)),
      (error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
    );
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}/${secret}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve(undefined));
    }),
  };
}
