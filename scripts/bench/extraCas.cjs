// `node scripts/bench/extraCas.cjs`: the cost per HTTPS request of trusting extra certificate
// authorities (NODE_EXTRA_CA_CERTS, here a private CA plus the system bundle): 1,000 small
// requests, 16 at a time, through the transport's route (src/azure/networkRoute.ts) to an HTTPS
// server on loopback. Prints the wall time and this process's CPU time. Not a test.
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..');
require(path.join(root, 'test', 'support', 'registerTs.js'));
const https = require('node:https');
const tls = require('node:tls');
const { createDefaultHttpClient, createPipelineRequest } = require('@azure/core-rest-pipeline');
const { createPrivateCa } = require(path.join(root, 'test', 'support', 'privateCa.ts'));
const { route } = require(path.join(root, 'src', 'azure', 'networkRoute.ts'));
const { defaultNetworkSettings } = require(path.join(root, 'src', 'azure', 'networkSettings.ts'));

(async () => {
  const ca = createPrivateCa();
  const server = https.createServer({ key: ca.serverKey, cert: ca.serverCert }, (request, response) => {
    request.resume();
    request.on('end', () => response.end('ok'));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const settings = { ...defaultNetworkSettings, extraCaCertificates: [ca.caPem, ...tls.rootCertificates] };
  const client = createDefaultHttpClient();
  const url = `https://localhost:${server.address().port}/`;
  const one = async () => {
    const response = await route(createPipelineRequest({ url }), settings, (request) => client.sendRequest(request));
    if (response.status !== 200) throw new Error(`answered ${response.status}`);
  };
  const requests = 1000;
  const parallel = 16;
  await Promise.all(Array.from({ length: parallel }, one));
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let sent = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (sent++ < requests) await one();
  }));
  const cpu = process.cpuUsage(cpuBefore);
  console.log(`${requests} HTTPS requests (${parallel} at a time) trusting ${settings.extraCaCertificates.length} extra CAs: `
    + `${(performance.now() - started).toFixed(0)} ms, CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`);
  server.closeAllConnections();
  server.close();
  ca.dispose();
})();
