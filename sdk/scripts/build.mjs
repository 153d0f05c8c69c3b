// Builds dist/esm (ESM + .d.ts, and the CLI) and dist/cjs (CommonJS + .d.ts) with tsc, then marks
// each folder's module kind with a package.json so Node and TypeScript read each file right.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
for (const config of ['tsconfig.json', 'tsconfig.cjs.json']) {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, config)], { stdio: 'inherit' });
}
writeFileSync(path.join(root, 'dist/esm/package.json'), '{ "type": "module" }\n');
writeFileSync(path.join(root, 'dist/cjs/package.json'), '{ "type": "commonjs" }\n');
const cli = path.join(root, 'dist/esm/cli/main.js');
if (existsSync(cli)) chmodSync(cli, 0o755);
