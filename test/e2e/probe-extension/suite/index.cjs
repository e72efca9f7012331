// extensionTestsPath of the probe: runs suite/*.test.cjs inside the extension host.
'use strict';

const path = require('node:path');

const { runMochaSuite } = require(path.resolve(__dirname, '../../../../scripts/vscode-host/runMochaSuite.cjs'));

exports.run = () => runMochaSuite({ testsRoot: __dirname, suffix: '.test.cjs' });
