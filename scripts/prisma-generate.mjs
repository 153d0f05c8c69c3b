// Generates the Prisma client (server/src/generated/prisma). The Prisma CLI insists on locating a
// native schema engine even for `generate`, which never uses it, and cannot download one offline:
// point it at any existing file unless the caller chose one.
import { spawnSync } from 'node:child_process';

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const result = spawnSync('npx', ['prisma', 'generate'], { stdio: ['ignore', 'pipe', 'inherit'], env, shell: process.platform === 'win32' });
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? '');
  console.error('prisma generate failed (see above)');
  process.exit(result.status ?? 1);
}
