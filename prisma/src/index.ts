export { openDatabase, parsePostgresUrl, redactUrl, DatabaseError } from './open-database.ts';
export type { Database, OpenDatabaseOptions, PrismaClient } from './open-database.ts';
export { migrate, readMigrations, migrationsDir, MigrationError } from './migrate.ts';
export type { MigrateResult, MigrationFile } from './migrate.ts';
export type { Sql, SqlRunner, PoolStats } from './sql.ts';
export { Role, ApiKeyKind, HostStatus, AlertState, Severity } from '../generated/prisma/enums.ts';
export type { Prisma as PrismaTypes } from '../generated/prisma/client.ts';
export { getDatamodel } from '../generated/pothos-types.ts';
export type { default as PothosPrismaTypes } from '../generated/pothos-types.ts';
