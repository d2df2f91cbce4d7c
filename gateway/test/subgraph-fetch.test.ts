// The gateway's subgraph calls: the whole answer read, the signature headers sent as given, and
// the three ways a call fails (deadline, client gone, nobody listening) told apart.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postToSubgraph } from '../src/subgraph-fetch.ts';

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/hang') return;
      response.writeHead(request.url === '/refuse' ? 400 : 200, {
        'content-type': 'application/json',
      });
      response.end(
        JSON.stringify({
          data: { body: Buffer.concat(chunks).toString(), signed: request.headers['x-signed'] },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const call = (overrides: Partial<Parameters<typeof postToSubgraph>[1]> = {}) => ({
  headers: new Headers({ 'content-type': 'application/json', 'x-signed': 'yes' }),
  body: '{"query":"{ é }"}',
  timeoutMs: 2_000,
  ...overrides,
});

describe('subgraph calls', () => {
  it('send the body and headers as given and read the whole answer', async () => {
    const response = await postToSubgraph(`${url}/graphql`, call());
    expect(response.ok).toBe(true);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.clone().json()).toEqual({
      data: { body: '{"query":"{ é }"}', signed: 'yes' },
    });
    expect(JSON.parse(await response.text())).toHaveProperty('data.signed', 'yes');
    const refused = await postToSubgraph(`${url}/refuse`, call());
    expect([refused.ok, refused.status]).toEqual([false, 400]);
  });

  it('fail with a TimeoutError past the deadline, an AbortError when the client leaves', async () => {
    await expect(postToSubgraph(`${url}/hang`, call({ timeoutMs: 50 }))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    const client = new AbortController();
    const pending = postToSubgraph(`${url}/hang`, call({ signal: client.signal }));
    client.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(postToSubgraph(`${url}/x`, call({ signal: client.signal }))).rejects.toMatchObject(
      { name: 'AbortError' },
    );
  });

  it('fail with the socket error as cause when nobody listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(postToSubgraph(`http://127.0.0.1:${port}/graphql`, call())).rejects.toMatchObject({
      cause: { code: 'ECONNREFUSED' },
    });
  });
});

it('closes an idle connection before the subgraph would, so that no call races its closing', async () => {
  // The subgraph keeps idle connections 3 s and says so (`Keep-Alive: timeout=3`).
  const idle = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end('{"data":{}}'));
  });
  idle.keepAliveTimeout = 3_000;
  const closedByGateway = new Promise<boolean>((resolve) =>
    idle.once('connection', (socket) => {
      let ended = false;
      socket.on('end', () => (ended = true));
      socket.on('close', () => resolve(ended));
    }),
  );
  await new Promise<void>((resolve) => idle.listen(0, '127.0.0.1', resolve));
  try {
    const port = (idle.address() as AddressInfo).port;
    const response = await postToSubgraph(`http://127.0.0.1:${port}/graphql`, call());
    expect(response.status).toBe(200);
    // The gateway's end of the connection closed first: the subgraph received its FIN. Had the
    // subgraph timed the connection out, it would have destroyed it without receiving one.
    expect(await closedByGateway).toBe(true);
  } finally {
    idle.closeAllConnections();
    await new Promise((resolve) => idle.close(resolve));
  }
});
