// A PostgreSQL URL may name a Unix-domain socket as libpq does (`?host=/socket/directory`): the
// client connects through that socket and does not pass `host` on to the server as a setting.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectPostgres } from '../src/postgres-admin.ts';

/** The key/value pairs of a startup message (protocol 3.0), as the server reads them. */
function startupParameters(packet: Buffer): Map<string, string> {
  const length = packet.readInt32BE(0);
  const fields = packet.subarray(8, length).toString('utf8').split('\0');
  const parameters = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length && fields[index] !== ''; index += 2) {
    parameters.set(fields[index]!, fields[index + 1]!);
  }
  return parameters;
}

/** A fatal ErrorResponse, as a server refusing a connection sends it. */
function refusal(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('E', 0, 'latin1');
  header.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([header, fields]);
}

describe('connectPostgres', () => {
  let directory: string | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (directory) rmSync(directory, { recursive: true, force: true });
    server = undefined;
    directory = undefined;
  });

  it('connects through the socket in the directory named by host, and keeps host to itself', async () => {
    const socketDirectory = mkdtempSync(path.join(tmpdir(), 'passerelle-socket-'));
    directory = socketDirectory;
    const received = new Promise<Buffer>((resolve) => {
      server = createServer((socket) => {
        socket.once('data', (packet) => {
          resolve(packet);
          socket.end(refusal('28000', 'no such role'));
        });
      });
      server.listen(path.join(socketDirectory, '.s.PGSQL.5433'));
    });
    const sql = connectPostgres(
      `postgres://tester@localhost:5433/notes?host=${encodeURIComponent(socketDirectory)}`,
      { max: 1, connect_timeout: 2, onnotice: () => {} },
    );
    const query = sql`select 1`.then(
      () => 'answered',
      (error: { code?: string }) => error.code,
    );
    const parameters = startupParameters(await received);
    expect(await query).toBe('28000');
    await sql.end({ timeout: 1 });
    expect(parameters.get('user')).toBe('tester');
    expect(parameters.get('database')).toBe('notes');
    expect(parameters.has('host')).toBe(false);
  });

  it('refuses a host parameter that is not a directory', () => {
    expect(() => connectPostgres('postgres://tester@localhost/notes?host=db.example')).toThrow(
      /directory of a Unix-domain socket/,
    );
  });

  const serverUrl = process.env['PASSERELLE_TEST_DATABASE_URL'] || undefined;
  const port = serverUrl ? new URL(serverUrl).port || '5432' : '5432';
  const systemSocket = '/var/run/postgresql';
  it.skipIf(!serverUrl || !existsSync(path.join(systemSocket, `.s.PGSQL.${port}`)))(
    'reaches the configured PostgreSQL server through its socket',
    async () => {
      const url = new URL(serverUrl!);
      url.searchParams.set('host', systemSocket);
      const sql = connectPostgres(url.toString(), { max: 1, onnotice: () => {} });
      try {
        const [row] = await sql<{ address: string | null }[]>`select inet_server_addr() as address`;
        // A Unix-domain socket has no server address.
        expect(row?.address).toBeNull();
      } finally {
        await sql.end({ timeout: 5 });
      }
    },
  );
});
