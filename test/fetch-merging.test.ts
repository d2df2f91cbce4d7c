// The gateway asks a subgraph once for what sibling branches of a plan need from it at the same
// level: in Amina's journey, the titles of her courses and her household's consents reach network
// as one request, counted here in front of each subgraph.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beneficiaries, courses, partners, staff } from '@passerelle/demo-data';
import { startInProcessStack, type InProcessStack } from '@passerelle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const JOURNEY = `query Journey($id: ID!) {
  beneficiary(id: $id) {
    givenName
    housing { currentTenancy { household { beneficiary { id homework { pupilRecords { memberships { club { title } } } } } } } }
    training { enrollments { course { title training { seatsLeft } } } }
    women { participations { workshop { title } } }
  }
}`;

/** Requests received per subgraph, each passed on to the subgraph as it came. */
const received = new Map<string, number>();
const proxies: Server[] = [];

async function countingProxy(
  name: string,
): Promise<{ url: string; target: (url: string) => void }> {
  let target = '';
  const server = createServer((request, response) => {
    received.set(name, (received.get(name) ?? 0) + 1);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.entries(request.headers).flatMap(([key, value]) =>
        typeof value === 'string' && !['host', 'connection', 'content-length'].includes(key)
          ? [[key, value] as [string, string]]
          : [],
      );
      fetch(target, { method: 'POST', headers, body: Buffer.concat(chunks) })
        .then(async (answer) => {
          response.writeHead(answer.status, { 'content-type': 'application/json' });
          response.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch(() => response.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxies.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, target: (url) => (target = url) };
}

let stack: InProcessStack;

beforeAll(async () => {
  const names = ['network', 'housing', 'training', 'homework', 'women', 'helpdesk'];
  const routes = new Map(
    await Promise.all(names.map(async (n) => [n, await countingProxy(n)] as const)),
  );
  stack = await startInProcessStack({
    route: (name, url) => {
      const proxy = routes.get(name);
      if (!proxy) return url;
      proxy.target(url);
      return proxy.url;
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  for (const server of proxies) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('sibling fetches', () => {
  it("reach network as one request per level of Amina's journey", async () => {
    received.clear();
    const result = await stack.query(
      { partner: partners.aisQuartiers.id, role: 'staff', sub: staff.aisQuartiers },
      JOURNEY,
      { id: beneficiaries.amina.id },
    );
    // Her workshops are withheld from the agency (no consent): a FORBIDDEN error, nothing else.
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const amina = result.data?.beneficiary;
    expect(
      amina.training.enrollments.map((e: { course: { title: string } }) => e.course.title),
    ).toContain(courses.premiersPas.title);
    const clubs = amina.housing.currentTenancy.household.flatMap(
      (member: {
        beneficiary: {
          homework: { pupilRecords: { memberships: { club: { title: string } }[] }[] } | null;
        };
      }) =>
        member.beneficiary.homework?.pupilRecords.flatMap((record) =>
          record.memberships.map((membership) => membership.club.title),
        ) ?? [],
    );
    expect(clubs).toContain(courses.clubPrimaire.title);
    // The person; her course titles with her household's consents (one level, one request);
    // the club titles. Sent as planned, the middle level would be two requests.
    expect(received.get('network')).toBe(3);
    expect(Object.fromEntries(received)).toMatchObject({
      housing: 1,
      training: 2,
      homework: 1,
      women: 1,
    });
  });
});
