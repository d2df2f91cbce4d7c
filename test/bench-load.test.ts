// The benchmark's two engines take turns in slices (A B B A…), and each one's figures are counted
// as if in one run: its steps go on with their turns where the last slice stopped, so that names
// and idempotency keys never repeat.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { alternation, driveAlternating, type LoadOptions } from '../bench/src/load.ts';
import type { Step } from '../bench/src/operations.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server that answers every GraphQL request with data, and notes who was asked, in order. */
async function target(arrivals: string[], name: string) {
  const server = createServer((req, res) => {
    arrivals.push(name);
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end('{"data":{"ok":true}}');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

function counting(turns: number[]): Step {
  return {
    operation: 'ping',
    call: (_context, turn) => {
      turns.push(turn);
      return { viewer: { partner: null, role: 'coordinator' }, query: `{ ok }` };
    },
  };
}

describe('alternation', () => {
  it('lets each target lead as often as it follows', () => {
    expect(alternation(1)).toEqual([0, 1]);
    expect(alternation(2)).toEqual([0, 1, 1, 0]);
    expect(alternation(4)).toEqual([0, 1, 1, 0, 0, 1, 1, 0]);
  });

  it('counts each target over all its slices, with its turns carried on', async () => {
    const arrivals: string[] = [];
    const turns = { a: [] as number[], b: [] as number[] };
    const load = async (name: 'a' | 'b'): Promise<LoadOptions> => ({
      url: await target(arrivals, name),
      steps: [counting(turns[name])],
      connections: 2,
      seconds: 2,
      headersFor: () => ({}),
    });
    const [a, b] = await driveAlternating([await load('a'), await load('b')], 2);

    for (const [result, asked] of [
      [a, turns.a],
      [b, turns.b],
    ] as const) {
      expect(result.errors).toBe(0);
      expect(result.requests).toBeGreaterThan(0);
      expect(result.operations['ping']?.requests).toBe(result.requests);
      expect(result.seconds).toBeGreaterThan(0);
      expect(new Set(asked).size).toBe(asked.length);
    }
    // A B B A: the four slices arrive in that order.
    const order = arrivals.filter((name, index) => name !== arrivals[index - 1]);
    expect(order).toEqual(['a', 'b', 'a']);
  });
});
