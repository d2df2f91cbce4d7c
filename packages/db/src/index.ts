export {
  openDatabase,
  StatementCounter,
  type Database,
  type DatabaseLocation,
  type Db,
  type OpenDatabaseOptions,
} from './database.ts';
export {
  databaseUrl,
  dropPostgresDatabase,
  ensurePostgresDatabase,
  socketDirectoryOf,
} from './postgres-admin.ts';
export { encodeCursor, decodeCursor } from './cursor.ts';
export { anyOf, builtOnce } from './statements.ts';
