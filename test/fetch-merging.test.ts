// The gateway asks a subgraph once for what sibling branches of a plan need from it at the same
// level: in Amina's journey, the titles of her courses and her household's consents reach network
// as one request, counted here in front of each subgraph. The answers are those of a gateway
// running Apollo's plans as planned (GATEWAY_MERGE_FETCHES=false), to the last error.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beneficiaries, courses, partners, staff } from '@passerelle/demo-data';
import { startGateway } from '@passerelle/gateway';
import { listSubgraphs } from '@passerelle/schema';
import type { RunningServer } from '@passerelle/service';
import {
  postGraphQL,
  startInProcessStack,
  type InProcessStack,
  type TestViewer,
} from '@passerelle/testkit';
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
let asPlanned: RunningServer;

beforeAll(async () => {
  const routes = new Map(
    await Promise.all(
      listSubgraphs().map(async ({ name }) => [name, await countingProxy(name)] as const),
    ),
  );
  stack = await startInProcessStack({
    route: (name, url) => {
      const proxy = routes.get(name);
      if (!proxy) return url;
      proxy.target(url);
      return proxy.url;
    },
  });
  asPlanned = await startGateway({ ...stack.gatewayOptions, mergeSiblingFetches: false });
});

afterAll(async () => {
  await asPlanned?.close();
  await stack?.stop();
  for (const server of proxies) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const housingStaff: TestViewer = {
  partner: partners.aisQuartiers.id,
  role: 'staff',
  sub: staff.aisQuartiers,
};

/**
 * An answer's data and errors, without what differs between two requests (their ids); errors in
 * a fixed order, as parallel fetches report theirs in the order they end.
 */
function comparable({ data, errors }: { data?: unknown; errors?: unknown[] }) {
  const plain = (value: unknown) =>
    JSON.stringify(value, (key, inner: unknown) => (key === 'requestId' ? undefined : inner));
  return { data: plain(data), errors: (errors ?? []).map(plain).sort() };
}

/** The same operation through the merging gateway and the one running plans as planned. */
async function both(viewer: TestViewer, query: string, variables: Record<string, unknown>) {
  received.clear();
  const merged = await stack.query(viewer, query, variables);
  const mergedRequests = Object.fromEntries(received);
  received.clear();
  const token = await stack.token(viewer);
  const planned = await postGraphQL(asPlanned.url, { query, variables }, { token });
  return { merged, planned, mergedRequests, plannedRequests: Object.fromEntries(received) };
}

describe('sibling fetches', () => {
  it("reach network as one request per level of Amina's journey, with the same answer", async () => {
    const { merged, planned, mergedRequests, plannedRequests } = await both(housingStaff, JOURNEY, {
      id: beneficiaries.amina.id,
    });
    expect(comparable(merged)).toEqual(comparable(planned));
    // Her workshops are withheld from the agency (no consent): a FORBIDDEN error, nothing else.
    expect(merged.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const amina = merged.data?.beneficiary;
    expect(
      amina.training.enrollments.map((e: { course: { title: string } }) => e.course.title),
    ).toContain(courses.premiersPas.title);
    const son = amina.housing.currentTenancy.household.find(
      (member: { beneficiary: { id: string } }) =>
        member.beneficiary.id === beneficiaries.yassin.id,
    );
    expect(son.beneficiary.homework.pupilRecords[0].memberships[0].club.title).toBe(
      courses.clubPrimaire.title,
    );
    // The person; her course titles with her household's consents (one level, one request);
    // the club titles. As planned, the middle level is two requests.
    expect(mergedRequests).toMatchObject({ network: 3, housing: 1, training: 2, homework: 1 });
    expect(plannedRequests).toMatchObject({ network: 4, housing: 1, training: 2, homework: 1 });
  });

  it('answer every operation as the plans run as planned would', async () => {
    const operations: [TestViewer, string, Record<string, unknown>][] = [
      [housingStaff, JOURNEY, { id: beneficiaries.yassin.id }],
      [
        { partner: partners.clic.id, role: 'staff', sub: staff.clic },
        JOURNEY,
        { id: beneficiaries.amina.id },
      ],
      [
        housingStaff,
        `query($first: Int) { beneficiaries(first: $first) { nodes { id givenName housing { tenancies { startsOn } } training { enrollments { course { title } } } homework { pupilRecords { grade } } women { participations { workshop { title } } } } } }`,
        { first: 20 },
      ],
      [
        housingStaff,
        `{ courses(first: 20) { nodes { id title partner { name } site { name } training { seatsLeft } women { placesLeft } } } }`,
        {},
      ],
    ];
    for (const [viewer, query, variables] of operations) {
      const { merged, planned } = await both(viewer, query, variables);
      expect(merged.data).not.toBeNull();
      expect(comparable(merged)).toEqual(comparable(planned));
    }
  });
});
