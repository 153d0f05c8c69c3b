import { defineConfig } from 'prisma/config';

// Prisma 7 reads the datasource here. Only `prisma generate` runs in this project: migrations
// are plain SQL applied by server/src/db/migrate.ts (the native schema engine cannot be fetched).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
