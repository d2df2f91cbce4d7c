// Reaching a PostgreSQL server from a URL, and creating and dropping whole databases on it: one
// database per subgraph.
import postgres, { type Options, type PostgresType, type Sql } from 'postgres';

const DATABASE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * A postgres.js client for `url`. The URL may name a Unix-domain socket the way libpq does, with a
 * `host` parameter holding the socket's directory
 * (`postgres://postgres@localhost/postgres?host=/var/run/postgresql`), as a server that
 * authenticates its local users by `peer` asks. postgres.js reads no such parameter and would send
 * it to the server as a setting, so it is taken out of the URL and given as the client's host.
 */
export function connectPostgres(
  url: string,
  options: Options<Record<string, PostgresType>> = {},
): Sql {
  const socketDirectory = socketDirectoryOf(url);
  if (socketDirectory === undefined) return postgres(url, options);
  const parsed = new URL(url);
  parsed.searchParams.delete('host');
  return postgres(parsed.toString(), { ...options, host: socketDirectory });
}

/**
 * The Unix-domain socket directory a PostgreSQL URL names in its `host` parameter, if any. Only a
 * directory is accepted there (libpq also takes a host name).
 */
export function socketDirectoryOf(url: string): string | undefined {
  const socketDirectory = new URL(url).searchParams.get('host');
  if (socketDirectory === null) return undefined;
  if (!socketDirectory.startsWith('/')) {
    throw new Error(
      'the host parameter of a PostgreSQL URL must be the directory of a Unix-domain socket, as /var/run/postgresql',
    );
  }
  return socketDirectory;
}

function split(url: string): { admin: string; name: string } {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!DATABASE_NAME.test(name)) {
    throw new Error(`database name "${name}" must match ${DATABASE_NAME.source}`);
  }
  parsed.pathname = '/postgres';
  return { admin: parsed.toString(), name };
}

/** Creates the database named in `url` when the server does not have it yet. */
export async function ensurePostgresDatabase(url: string): Promise<void> {
  const { admin, name } = split(url);
  const sql = connectPostgres(admin, { max: 1, onnotice: () => {} });
  try {
    const found = await sql`select 1 from pg_database where datname = ${name}`;
    if (found.length === 0) {
      try {
        await sql.unsafe(`create database "${name}"`);
      } catch (error) {
        // Another process created it between our check and our create.
        if ((error as { code?: string }).code !== '42P04') throw error;
      }
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function dropPostgresDatabase(url: string): Promise<void> {
  const { admin, name } = split(url);
  const sql = connectPostgres(admin, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The URL of database `name` on the server that `serverUrl` points at. */
export function databaseUrl(serverUrl: string, name: string): string {
  const parsed = new URL(serverUrl);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
