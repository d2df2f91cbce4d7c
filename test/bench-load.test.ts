// The benchmark's two engines take turns in slices (A B B A…), and each one's figures are counted
// as if in one run: its steps go on with their turns where the last slice stopped, so that names
// and idempotency keys never repeat. And what the load counts as an error.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { alternation, driveAlternating, problemOf, type LoadOptions } from '../bench/src/load.ts';
import { readSteps, type Step } from '../bench/src/operations.ts';

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

describe('what counts as an error', () => {
  const answer = (body: unknown) => JSON.stringify(body);
  const withheld = {
    message: 'not disclosed',
    path: ['beneficiary', 'women'],
    extensions: { code: 'FORBIDDEN', reason: 'NO_CONSENT', facet: 'women' },
  };

  it('takes a facet withheld for want of consent as a normal answer, any other refusal as an error', () => {
    expect(problemOf(200, answer({ data: { beneficiary: {} }, errors: [withheld] }))).toBeNull();
    expect(
      problemOf(
        200,
        answer({
          data: { referralFigures: null },
          errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }],
        }),
      ),
    ).toBe('FORBIDDEN: no');
  });

  it('finds a journey of the Brussels cohort missing a facet, withheld or absent', () => {
    const journey = readSteps('brussels').journey;
    const child = { role: 'CHILD', beneficiary: { homework: { pupilRecords: [] } } };
    const full = {
      beneficiary: {
        housing: { currentTenancy: { household: [{ role: 'HEAD', beneficiary: null }, child] } },
        training: {},
        women: {},
        helpdesk: {},
      },
    };
    expect(problemOf(200, answer({ data: full }), journey)).toBeNull();
    expect(
      problemOf(
        200,
        answer({ data: { beneficiary: { ...full.beneficiary, women: null } }, errors: [withheld] }),
        journey,
      ),
    ).toMatch(/lacks the women facet: .*pnpm seed --scale brussels --force/);
    // A household adult's homework is withheld, and reads as null: they are not at school.
    const adult = { role: 'HEAD', beneficiary: { homework: null } };
    const withAdult = {
      beneficiary: {
        ...full.beneficiary,
        housing: { currentTenancy: { household: [adult, child] } },
      },
    };
    expect(problemOf(200, answer({ data: withAdult, errors: [withheld] }), journey)).toBeNull();
    const noHomework = {
      beneficiary: {
        ...full.beneficiary,
        housing: {
          currentTenancy: { household: [{ role: 'CHILD', beneficiary: { homework: null } }] },
        },
      },
    };
    expect(problemOf(200, answer({ data: noHomework }), journey)).toMatch(
      /the child's homework facet/,
    );
    // The demo journey reads whatever facets the demo person has.
    expect(
      problemOf(
        200,
        answer({ data: { beneficiary: { ...full.beneficiary, women: null } } }),
        readSteps('demo').journey,
      ),
    ).toBeNull();
  });
});
