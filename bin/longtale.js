#!/usr/bin/env node
// The installed `longtale` command runs the built CLI (`npm run build` makes it); `npm run longtale` runs the source.
import fs from 'node:fs';

const built = new URL('../out/main/cli.js', import.meta.url);
if (!fs.existsSync(built)) {
  process.stderr.write('longtale: the CLI is not built. Run "npm run build" in the Longtale folder, or use "npm run longtale --".\n');
  process.exit(1);
}
await import(built.href);
