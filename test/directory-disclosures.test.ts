// What the directory discloses of a person to a viewer whose partner is not linked to them is
// logged like any partner facet (DESIGN.md §4.5): who, which fields, under which consent, in which
// request, before the data leaves. A partner's own people read their people without a trace.
import { beneficiaries, partners } from '@passerelle/demo-data';
import { startInProcessStack, type InProcessStack, type TestViewer } from '@passerelle/testkit';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const agency: TestViewer = {
  partner: partners.aisQuartiers.id,
  role: 'staff',
  sub: 'staff:directory-log@ais-quartiers',
};
const trainer: TestViewer = {
  partner: partners.clic.id,
  role: 'staff',
  sub: 'staff:directory-log@clic-formation',
};
const coordinator: TestViewer = {
  partner: partners.coordination.id,
  role: 'coordinator',
  sub: 'coordinator:directory-log',
};

let stack: InProcessStack;
let farida: string;
let consentId: string;

const networkRows = <T>(query: SQL) => stack.rows<T>('network', query);

async function ok<T = Record<string, any>>(
  viewer: TestViewer,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const result = await stack.query(viewer, query, variables);
  expect(result.errors).toBeUndefined();
  return result.data as T;
}

interface Entry {
  facet: string;
  fields: string[];
  viewerSub: string;
  viewerRole: string;
  viewerPartner: string | null;
  purpose: string;
  consentId: string;
  requestId: string;
}

async function logOf(person: string): Promise<Entry[]> {
  const data = await ok(
    agency,
    `query($id: ID!) { beneficiary(id: $id) { directoryDisclosures {
      facet fields viewerSub viewerRole viewerPartner purpose consentId requestId
    } } }`,
    { id: person },
  );
  return data.beneficiary.directoryDisclosures;
}

beforeAll(async () => {
  stack = await startInProcessStack();
  const registered = await ok(
    agency,
    `mutation { registerBeneficiary(input: {
      givenName: "Farida", familyName: "Disclosed", birthYear: 1990, municipality: "Anderlecht"
    }) { beneficiary { id } } }`,
  );
  farida = registered.registerBeneficiary.beneficiary.id;
  const recorded = await ok(
    agency,
    `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { consent { id } } }`,
    {
      input: {
        beneficiaryId: farida,
        recipientPartnerId: partners.clic.id,
        categories: ['identity', 'training'],
        purpose: 'FOLLOW_UP',
        method: 'WRITTEN',
        noticeVersion: '2026-09',
        noticeLanguage: 'fr',
      },
    },
  );
  consentId = recorded.recordConsent.consent.id;
});
afterAll(async () => {
  await stack?.stop();
});

describe("the directory's disclosure log", () => {
  it('records a partner reading, under a consent, a person it is not linked to', async () => {
    const before = await logOf(farida);
    const data = await ok(
      trainer,
      `query($id: ID!) { beneficiary(id: $id) { givenName familyName birthYear } }`,
      { id: farida },
    );
    expect(data.beneficiary).toEqual({
      givenName: 'Farida',
      familyName: 'Disclosed',
      birthYear: 1990,
    });
    const log = await logOf(farida);
    expect(log).toHaveLength(before.length + 1);
    expect({ ...log[0], fields: [...log[0]!.fields].sort() }).toEqual({
      facet: 'directory',
      fields: ['birthYear', 'familyName', 'givenName'],
      viewerSub: trainer.sub,
      viewerRole: 'staff',
      viewerPartner: partners.clic.id,
      purpose: 'FOLLOW_UP',
      consentId,
      requestId: expect.any(String),
    });
  });

  it("records nothing when the person's own partner reads them", async () => {
    const before = (await logOf(farida)).length;
    await ok(agency, `query($id: ID!) { beneficiary(id: $id) { givenName knownBy { basis } } }`, {
      id: farida,
    });
    expect(await logOf(farida)).toHaveLength(before);
  });

  it('records nothing for what a facet or a write check asks: the consents and links', async () => {
    const before = (await logOf(farida)).length;
    const data = await ok(
      trainer,
      `query($id: ID!) { beneficiary(id: $id) { id access { purpose } knownBy { basis } } }`,
      { id: farida },
    );
    expect(data.beneficiary).toEqual({
      id: farida,
      access: [{ purpose: 'FOLLOW_UP' }],
      knownBy: [],
    });
    expect(await logOf(farida)).toHaveLength(before);
  });

  it('writes one entry per person of a list, in one statement', async () => {
    await ok(
      agency,
      `mutation { registerBeneficiary(input: { givenName: "Selma", familyName: "Disclosed" }) {
        beneficiary { id } } }`,
    );
    const before = await networkRows<{ n: number }>(
      sql`select count(*)::int as n from disclosures where viewer_sub = ${trainer.sub}`,
    );
    stack.resetStatementCounts();
    const data = await ok(
      trainer,
      `{ beneficiaries(filter: { name: "Disclosed" }) { nodes { givenName birthYear } } }`,
    );
    // The page, the consents that open it, and one insert for the log.
    expect(stack.statementCounts()['network']).toBe(3);
    // Selma gave no consent to the training partner: it does not see her, nor log her.
    expect(data.beneficiaries.nodes).toEqual([{ givenName: 'Farida', birthYear: 1990 }]);
    const after = await networkRows<{ n: number }>(
      sql`select count(*)::int as n from disclosures where viewer_sub = ${trainer.sub}`,
    );
    expect(after[0]!.n - before[0]!.n).toBe(1);
    const [entry] = await logOf(farida);
    expect([...entry!.fields].sort()).toEqual(['birthYear', 'familyName', 'givenName']);
  });

  it("records a coordinator's reading under a coordination consent, the links included", async () => {
    const data = await ok(
      coordinator,
      `query($id: ID!) { beneficiary(id: $id) { familyName knownBy { partner { id } } } }`,
      { id: beneficiaries.jean.id },
    );
    expect(data.beneficiary.knownBy.length).toBeGreaterThan(0);
    const rows = await networkRows<{ fields: string[]; purpose: string; facet: string }>(
      sql`select fields, purpose, facet from disclosures
          where viewer_sub = ${coordinator.sub} and beneficiary_id = ${beneficiaries.jean.id}::uuid`,
    );
    expect(rows.map((row) => ({ ...row, fields: [...row.fields].sort() }))).toEqual([
      { facet: 'directory', fields: ['familyName', 'knownBy'], purpose: 'COORDINATION' },
    ]);
  });

  it('is read by linked partners only', async () => {
    const result = await stack.query(
      trainer,
      `query($id: ID!) { beneficiary(id: $id) { directoryDisclosures { facet } } }`,
      { id: farida },
    );
    expect(result.errors?.map((error) => error.extensions?.['code'])).toEqual(['FORBIDDEN']);
  });

  it('discloses nothing when the entry cannot be written', async () => {
    await networkRows(sql`alter table disclosures rename to disclosures_unwritable`);
    try {
      const result = await stack.query(
        trainer,
        `query($id: ID!) { beneficiary(id: $id) { givenName } }`,
        { id: farida },
      );
      expect(result.data?.beneficiary ?? null).toBeNull();
      expect(JSON.stringify(result)).not.toContain('Farida');
      expect(result.errors?.length).toBeGreaterThan(0);
      expect(result.errors?.map((error) => error.extensions?.['code'])).toEqual([
        'INTERNAL_SERVER_ERROR',
      ]);
      expect(JSON.stringify(result.errors)).not.toMatch(/disclosures|relation|insert/i);
    } finally {
      await networkRows(sql`alter table disclosures_unwritable rename to disclosures`);
    }
  });

  it('records what a filter on who people are tells, even with no field of theirs asked', async () => {
    const before = (await logOf(farida)).length;
    const data = await ok(
      trainer,
      `{ beneficiaries(filter: { name: "Farid", municipality: "Anderlecht" }) { nodes { id } } }`,
    );
    expect(data.beneficiaries.nodes).toEqual([{ id: farida }]);
    const log = await logOf(farida);
    expect(log).toHaveLength(before + 1);
    expect([...log[0]!.fields].sort()).toEqual(['familyName', 'givenName', 'municipality']);
  });

  it('records a list that names people by their cursors alone', async () => {
    for (const selection of ['edges { cursor }', 'pageInfo { endCursor }']) {
      const before = (await logOf(farida)).length;
      const data = await ok(
        trainer,
        `{ beneficiaries(filter: { name: "Farid" }) { totalCount ${selection} } }`,
      );
      expect(data.beneficiaries.totalCount, selection).toBe(1);
      const log = await logOf(farida);
      expect(log, selection).toHaveLength(before + 1);
      expect([...log[0]!.fields].sort(), selection).toEqual(['familyName', 'givenName']);
    }
  });

  it('pages through the directory with cursors that carry no name', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const data: Record<string, any> = await ok(
        agency,
        `query($after: String) { beneficiaries(first: 2, after: $after) {
          totalCount edges { cursor node { id familyName } } pageInfo { hasNextPage endCursor }
        } }`,
        { after },
      );
      const connection = data.beneficiaries;
      for (const edge of connection.edges) {
        seen.push(edge.node.id);
        const decoded = Buffer.from(edge.cursor, 'base64url').toString('utf8');
        expect(decoded).not.toContain(edge.node.familyName);
      }
      expect(seen.length).toBeLessThanOrEqual(connection.totalCount);
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(seen).size).toBe(seen.length);
    const all = await ok(agency, `{ beneficiaries(first: 100) { totalCount nodes { id } } }`);
    expect(seen).toEqual(all.beneficiaries.nodes.map((node: { id: string }) => node.id));
    const forged = await stack.query(
      agency,
      `{ beneficiaries(after: "not-a-cursor") { totalCount } }`,
    );
    expect(forged.errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
  });

  it("records a receiver reading a referral's person until it accepts, then no more", async () => {
    const school: TestViewer = {
      partner: partners.tournesols.id,
      role: 'staff',
      sub: 'staff:directory-log@tournesols',
    };
    const created = await ok(
      agency,
      `mutation($input: CreateReferralInput!) {
        createReferral(input: $input) { referral { id version } errors { code } }
      }`,
      {
        input: {
          idempotencyKey: 'directory-log-referral',
          beneficiaryId: farida,
          toPartnerId: partners.tournesols.id,
          reason: 'Her son needs help with homework',
          consent: {
            categories: ['identity'],
            method: 'WRITTEN',
            noticeVersion: '2026-09',
            noticeLanguage: 'fr',
          },
        },
      },
    );
    let referral = created.createReferral.referral as { id: string; version: number };
    const readPerson = () =>
      ok(school, `query($id: ID!) { referral(id: $id) { beneficiary { givenName } } }`, {
        id: referral.id,
      });
    const entriesOfSchool = async () =>
      (await logOf(farida)).filter((entry) => entry.viewerSub === school.sub);

    expect((await readPerson()).referral.beneficiary).toEqual({ givenName: 'Farida' });
    const [entry] = await entriesOfSchool();
    expect(entry).toMatchObject({ purpose: 'REFERRAL', fields: ['givenName'] });

    for (const action of ['ACKNOWLEDGE', 'ACCEPT']) {
      const moved = await ok(
        school,
        `mutation($input: TransitionReferralInput!) {
          transitionReferral(input: $input) { referral { id version } errors { code } }
        }`,
        { input: { referralId: referral.id, expectedVersion: referral.version, action } },
      );
      expect(moved.transitionReferral.errors).toEqual([]);
      referral = moved.transitionReferral.referral;
    }
    await readPerson();
    expect(await entriesOfSchool()).toHaveLength(1);
  });

  it("counts a list's order as telling names, and nothing when no one is listed", async () => {
    const before = (await logOf(farida)).length;
    await ok(trainer, `{ beneficiaries(first: 100) { totalCount } }`);
    expect(await logOf(farida)).toHaveLength(before);
    await ok(trainer, `{ beneficiaries(first: 100) { nodes { id } } }`);
    const log = await logOf(farida);
    expect(log).toHaveLength(before + 1);
    expect([...log[0]!.fields].sort()).toEqual(['familyName', 'givenName']);
  });

  it('refuses a cursor pointing at someone the viewer does not see, or no longer sees', async () => {
    const cursorOf = (id: string) => Buffer.from(JSON.stringify([id])).toString('base64url');
    const page = (after: string) =>
      stack.query(
        trainer,
        `query($after: String) { beneficiaries(first: 1, after: $after) { nodes { id } } }`,
        { after },
      );
    // Selma gave the training partner no consent: her place in the order is not its to learn.
    const [selma] = await networkRows<{ id: string }>(
      sql`select id from beneficiaries where given_name = 'Selma' and family_name = 'Disclosed'`,
    );
    const hidden = await page(cursorOf(selma!.id));
    expect(hidden.errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    expect((await page(cursorOf(farida))).errors).toBeUndefined();

    const recorded = await ok(
      agency,
      `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { consent { id } } }`,
      {
        input: {
          beneficiaryId: selma!.id,
          recipientPartnerId: partners.clic.id,
          categories: ['identity'],
          purpose: 'FOLLOW_UP',
          method: 'ORAL_ATTESTED',
          noticeVersion: '2026-09',
          noticeLanguage: 'fr',
        },
      },
    );
    expect((await page(cursorOf(selma!.id))).errors).toBeUndefined();
    await ok(
      agency,
      `mutation($id: ID!) { withdrawConsent(input: { consentId: $id }) { errors { code } } }`,
      { id: recorded.recordConsent.consent.id },
    );
    const withdrawn = await page(cursorOf(selma!.id));
    expect(withdrawn.errors?.map((error) => error.extensions?.['code'])).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});
