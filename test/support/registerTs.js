// Lets mocha load TypeScript test and source files directly: esbuild strips the types per
// file (type checking is its own gate, `npm run typecheck`).
const { transformSync } = require('esbuild');
const fs = require('node:fs');

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    loader: 'ts',
    format: 'cjs',
    target: 'node22',
    sourcefile: filename,
    sourcemap: 'inline',
  });
  module._compile(code, filename);
};
