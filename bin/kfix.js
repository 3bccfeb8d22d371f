#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript in dist/.
import('../dist/src/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    console.error('kfix: dist/ is missing; run `npm run build` first');
    process.exit(2);
  }
  throw err;
});
