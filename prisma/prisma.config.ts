// Prisma CLI configuration. Only `prisma generate` runs here (offline); the datasource URL is
// read by a user running `prisma migrate status` against their own database.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/esmon' },
});
