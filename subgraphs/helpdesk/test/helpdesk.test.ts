// The help desks' person facet and the recording of visits, through the real gateway: who sees a
// person's visits (own staff with notes, own volunteers without, another help desk nothing, other
// partners only under consent, logged), which visits may be recorded by whom, retries with a
// client key, and that a list of people costs one statement per entity type. Every test makes its
// own people through the API, so the demo data can change freely.
import { beneficiaries, partners, sites } from '@passerelle/demo-data';
import { ManualClock } from '@passerelle/service';
import { startInProcessStack, type InProcessStack, type TestViewer } from '@passerelle/testkit';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const OWN = partners.mdnSaintGilles.id;
const OTHER_DESK = partners.mdnAnderlecht.id;
const OTHER = partners.clic.id;
const JOURDAN = sites.salleJourdan.id;
const PETERBOS = sites.sallePeterbos.id;
/** A person of the demo network the Saint-Gilles help desk does not know. */
const PERSON_ELSEWHERE = beneficiaries.marta.id;
/** "Today" for every subgraph: Friday 20 November 2026 in Brussels. */
const TODAY = '2026-11-20';

const viewer = (partner: string, role: TestViewer['role'] = 'staff'): TestViewer => ({
  partner,
  role,
  sub: `${role}:helpdesk-test@${partner}`,
});

const VISIT_FIELDS = `id helpDesk { id } site { id name } visitedOn topic outcome competence
  competenceName anonymous beneficiary { id } note`;
const FACET = `query($id: ID!) { beneficiary(id: $id) { helpdesk { visits { ${VISIT_FIELDS} } } } }`;
const RECORD = `mutation($input: HelpdeskRecordVisitInput!) {
  helpdeskRecordVisit(input: $input) { visit { ${VISIT_FIELDS} } errors { field code message } }
}`;

interface Visit {
  id: string;
  helpDesk: { id: string };
  site: { id: string; name: string };
  visitedOn: string;
  topic: string;
  outcome: string;
  competence: string | null;
  competenceName: string | null;
  anonymous: boolean;
  beneficiary: { id: string } | null;
  note: string | null;
}
interface RecordResult {
  visit: Visit | null;
  errors: { field: string; code: string; message: string }[];
}

let stack: InProcessStack;
let keys = 0;
beforeAll(async () => {
  stack = await startInProcessStack({ clock: new ManualClock(new Date(`${TODAY}T10:00:00Z`)) });
});
afterAll(async () => {
  await stack?.stop();
});

/** Registers a person in the directory as the partner's staff, which links them to it. */
async function registerPerson(partner = OWN, familyName = 'Helpdesk'): Promise<string> {
  const result = await stack.query(
    viewer(partner),
    `mutation($input: RegisterBeneficiaryInput!) {
      registerBeneficiary(input: $input) { beneficiary { id } errors { field code } }
    }`,
    { input: { givenName: 'Test', familyName } },
  );
  expect(result.data?.registerBeneficiary.errors).toEqual([]);
  return result.data?.registerBeneficiary.beneficiary.id as string;
}

async function record(who: TestViewer, input: Record<string, unknown>): Promise<RecordResult> {
  const result = await stack.query(who, RECORD, { input });
  expect(result.errors).toBeUndefined();
  return result.data?.helpdeskRecordVisit as RecordResult;
}

/** A person the help desk saw once, with a staff note. */
async function visitedPerson(): Promise<string> {
  const id = await registerPerson();
  const recorded = await record(viewer(OWN), {
    siteId: JOURDAN,
    beneficiaryId: id,
    visitedOn: '2026-11-17',
    topic: 'ONLINE_BANKING',
    outcome: 'LEARNED_TO_DO_IT_ALONE',
    competence: '2.1',
    note: 'Premier virement fait seule.',
  });
  expect(recorded.errors).toEqual([]);
  return id;
}

async function facet(who: TestViewer, id: string) {
  const result = await stack.query(who, FACET, { id });
  return {
    visits: (result.data?.beneficiary?.helpdesk?.visits ?? null) as Visit[] | null,
    code: result.errors?.[0]?.extensions?.code as string | undefined,
  };
}

async function recordConsent(
  by: string,
  person: string,
  recipient: string,
  categories: string[],
): Promise<string> {
  const result = await stack.query(
    viewer(by),
    `mutation($input: RecordConsentInput!) {
      recordConsent(input: $input) { consent { id } errors { field code } }
    }`,
    {
      input: {
        beneficiaryId: person,
        recipientPartnerId: recipient,
        categories,
        purpose: 'FOLLOW_UP',
        method: 'WRITTEN',
        noticeVersion: '2026-09',
        noticeLanguage: 'fr',
      },
    },
  );
  expect(result.data?.recordConsent.errors).toEqual([]);
  return result.data?.recordConsent.consent.id as string;
}

async function disclosuresAs(who: TestViewer, id: string) {
  const result = await stack.query(
    who,
    `query($id: ID!) { beneficiary(id: $id) { helpdeskDisclosures { viewerPartner facet purpose } } }`,
    { id },
  );
  return {
    log: result.data?.beneficiary?.helpdeskDisclosures ?? null,
    code: result.errors?.[0]?.extensions?.code as string | undefined,
  };
}

describe('the helpdesk facet', () => {
  it('shows the help desk its linked visits, with notes for staff only', async () => {
    const id = await visitedPerson();
    const staff = await facet(viewer(OWN), id);
    expect(staff.code).toBeUndefined();
    expect(staff.visits).toEqual([
      {
        id: expect.any(String),
        helpDesk: { id: OWN },
        site: { id: JOURDAN, name: sites.salleJourdan.name },
        visitedOn: '2026-11-17',
        topic: 'ONLINE_BANKING',
        outcome: 'LEARNED_TO_DO_IT_ALONE',
        competence: '2.1',
        competenceName: 'Interacting through digital technologies',
        anonymous: false,
        beneficiary: { id },
        note: 'Premier virement fait seule.',
      },
    ]);
    for (const role of ['partner_admin', 'volunteer'] as const) {
      const seen = await facet(viewer(OWN, role), id);
      expect(seen.visits?.[0]?.note, role).toBe(
        role === 'volunteer' ? null : staff.visits![0]!.note,
      );
      expect(seen.visits?.[0]?.topic).toBe('ONLINE_BANKING');
    }
  });

  it('lists the most recent visit first and never an anonymous one', async () => {
    const id = await visitedPerson();
    const later = await record(viewer(OWN, 'volunteer'), {
      siteId: JOURDAN,
      beneficiaryId: id,
      visitedOn: TODAY,
      topic: 'EMAIL',
      outcome: 'SOLVED',
    });
    expect(later.errors).toEqual([]);
    await record(viewer(OWN), { siteId: JOURDAN, topic: 'EMAIL', outcome: 'SOLVED' });
    const seen = await facet(viewer(OWN), id);
    expect(seen.visits?.map((visit) => [visit.visitedOn, visit.topic])).toEqual([
      [TODAY, 'EMAIL'],
      ['2026-11-17', 'ONLINE_BANKING'],
    ]);
  });

  it('keeps each help desk to its own visits, even under a consent', async () => {
    const id = await visitedPerson();
    // The other help desk sees the person (identity consent), then gets a consent for the facet.
    await recordConsent(OWN, id, OTHER_DESK, ['identity']);
    expect(await facet(viewer(OTHER_DESK), id)).toEqual({ visits: null, code: undefined });
    await recordConsent(OWN, id, OTHER_DESK, ['helpdesk']);
    expect(await facet(viewer(OTHER_DESK), id)).toEqual({ visits: null, code: undefined });
    // …and it does not learn from the disclosure log either.
    expect(await disclosuresAs(viewer(OTHER_DESK), id)).toEqual({ log: [], code: undefined });
  });

  it('withholds it from another partner without consent, and discloses it under one', async () => {
    const id = await visitedPerson();
    // A consent that lets the other partner see the person, not this facet.
    await recordConsent(OWN, id, OTHER, ['identity']);
    expect(await facet(viewer(OTHER), id)).toEqual({ visits: null, code: 'FORBIDDEN' });
    expect((await disclosuresAs(viewer(OWN), id)).log).toEqual([]);

    await recordConsent(OWN, id, OTHER, ['helpdesk']);
    const after = await facet(viewer(OTHER), id);
    expect(after.code).toBeUndefined();
    expect(after.visits?.map((visit) => [visit.topic, visit.note])).toEqual([
      ['ONLINE_BANKING', null],
    ]);
    // Another partner's volunteers never get it.
    expect(await facet(viewer(OTHER, 'volunteer'), id)).toEqual({
      visits: null,
      code: 'FORBIDDEN',
    });

    expect((await disclosuresAs(viewer(OWN), id)).log).toEqual([
      { viewerPartner: OTHER, facet: 'helpdesk', purpose: 'FOLLOW_UP' },
    ]);
    expect(await disclosuresAs(viewer(OTHER), id)).toEqual({ log: null, code: 'FORBIDDEN' });
    expect((await disclosuresAs(viewer(OWN, 'volunteer'), id)).code).toBe('FORBIDDEN');
  });

  it('shows another partner the visits of each help desk that consented, and only theirs', async () => {
    const id = await visitedPerson();
    // The Anderlecht help desk comes to know the person too, and records a visit of its own.
    await stack.rows(
      'network',
      sql`insert into beneficiary_links (beneficiary_id, partner_id, basis)
          values (${id}::uuid, ${OTHER_DESK}, 'CONSENT')`,
    );
    const theirs = await record(viewer(OTHER_DESK), {
      siteId: PETERBOS,
      beneficiaryId: id,
      visitedOn: '2026-11-18',
      topic: 'E_GOVERNMENT_FORMS',
      outcome: 'SOLVED',
    });
    expect(theirs.errors).toEqual([]);
    const desksSeen = async () =>
      ((await facet(viewer(OTHER), id)).visits ?? []).map((visit) => visit.helpDesk.id).sort();

    // Only Saint-Gilles consented: Anderlecht's visit stays with Anderlecht.
    await recordConsent(OWN, id, OTHER, ['helpdesk']);
    expect(await desksSeen()).toEqual([OWN]);
    // Both consented: the visits of each, one log entry per consent, each kept for the help
    // desk whose visits it disclosed (neither learns of the other's).
    const anderlecht = await recordConsent(OTHER_DESK, id, OTHER, ['helpdesk']);
    const logs = async () =>
      Promise.all(
        [OWN, OTHER_DESK].map(async (desk) => (await disclosuresAs(viewer(desk), id)).log),
      );
    const before = await logs();
    expect(await desksSeen()).toEqual([OWN, OTHER_DESK].sort());
    const after = await logs();
    expect(after.map((log, desk) => log.length - before[desk]!.length)).toEqual([1, 1]);
    // Anderlecht's consent withdrawn: back to Saint-Gilles' visits alone.
    const withdrawn = await stack.query(
      viewer(OTHER_DESK),
      `mutation($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { errors { code } } }`,
      { input: { consentId: anderlecht } },
    );
    expect(withdrawn.data?.withdrawConsent.errors).toEqual([]);
    expect(await desksSeen()).toEqual([OWN]);
  });

  it('costs one statement per entity type for a list of people', async () => {
    await visitedPerson();
    await visitedPerson();
    stack.resetStatementCounts();
    const result = await stack.query(
      viewer(OWN),
      `{ beneficiaries(first: 20, filter: { name: "Helpdesk" }) {
        nodes { id helpdesk { visits { topic helpDesk { id } } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    const nodes = result.data?.beneficiaries.nodes as { helpdesk: unknown }[];
    expect(nodes.filter((node) => node.helpdesk).length).toBeGreaterThanOrEqual(2);
    // Every person's visits in one batch; the served help desks are kept by the process (the
    // clock stands still, so they were read once, by an earlier request).
    expect(stack.statementCounts()['helpdesk']).toBe(1);
  });
});

describe('recording a visit', () => {
  it('records an anonymous visit: counted, naming nobody', async () => {
    const recorded = await record(viewer(OWN, 'volunteer'), {
      siteId: JOURDAN,
      topic: 'E_GOVERNMENT_FORMS',
      outcome: 'REFERRED',
      competence: '2.3',
    });
    expect(recorded).toEqual({
      visit: {
        id: expect.any(String),
        helpDesk: { id: OWN },
        site: { id: JOURDAN, name: sites.salleJourdan.name },
        visitedOn: TODAY,
        topic: 'E_GOVERNMENT_FORMS',
        outcome: 'REFERRED',
        competence: '2.3',
        competenceName: 'Engaging in citizenship through digital technologies',
        anonymous: true,
        beneficiary: null,
        note: null,
      },
      errors: [],
    });
  });

  it('returns the first recording when a client key comes again, and refuses it for another visit', async () => {
    const id = await registerPerson();
    const input = {
      siteId: JOURDAN,
      beneficiaryId: id,
      visitedOn: '2026-11-13',
      topic: 'SMARTPHONE_BASICS',
      outcome: 'SOLVED',
      note: 'Mises à jour faites.',
      clientKey: `retry-${++keys}`,
    };
    const first = await record(viewer(OWN), input);
    expect(first.errors).toEqual([]);
    const again = await record(viewer(OWN), input);
    expect(again).toEqual(first);
    expect((await facet(viewer(OWN), id)).visits).toHaveLength(1);

    const other = await record(viewer(OWN), { ...input, outcome: 'REFERRED' });
    expect(other.visit).toBeNull();
    expect(other.errors.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'input.clientKey', code: 'DUPLICATE' },
    ]);
    // The key belongs to the help desk: another one may use it for its own visit.
    const elsewhere = await record(viewer(OTHER_DESK), {
      siteId: PETERBOS,
      topic: 'EMAIL',
      outcome: 'SOLVED',
      clientKey: input.clientKey,
    });
    expect(elsewhere.errors).toEqual([]);
    expect((await facet(viewer(OWN), id)).visits?.map((visit) => visit.outcome)).toEqual([
      'SOLVED',
    ]);
  });

  it('refuses strangers, unknown people and places, bad values and misplaced notes, writing nothing', async () => {
    const id = await registerPerson();
    const base = { siteId: JOURDAN, topic: 'EMAIL', outcome: 'SOLVED' };
    const cases: [TestViewer, Record<string, unknown>, string, string][] = [
      [viewer(OTHER), base, 'input', 'NOT_ALLOWED'],
      [
        { partner: null, role: 'coordinator', sub: 'coordinator:helpdesk' },
        base,
        'input',
        'NOT_ALLOWED',
      ],
      [
        viewer(OWN),
        { ...base, beneficiaryId: PERSON_ELSEWHERE },
        'input.beneficiaryId',
        'NOT_FOUND',
      ],
      [viewer(OWN), { ...base, beneficiaryId: 'not-an-id' }, 'input.beneficiaryId', 'INVALID'],
      [viewer(OWN), { ...base, siteId: PETERBOS }, 'input.siteId', 'NOT_FOUND'],
      [viewer(OWN), { ...base, siteId: sites.clicClassroom.id }, 'input.siteId', 'NOT_FOUND'],
      [viewer(OWN), { ...base, visitedOn: '2026-11-21' }, 'input.visitedOn', 'OUT_OF_RANGE'],
      [viewer(OWN), { ...base, visitedOn: '2025-11-01' }, 'input.visitedOn', 'OUT_OF_RANGE'],
      [viewer(OWN), { ...base, competence: '6.1' }, 'input.competence', 'INVALID'],
      [viewer(OWN), { ...base, note: 'Quelqu’un du quartier' }, 'input.note', 'INVALID'],
      [
        viewer(OWN, 'volunteer'),
        { ...base, beneficiaryId: id, note: 'Vient le mardi' },
        'input.note',
        'NOT_ALLOWED',
      ],
      [
        viewer(OWN),
        { ...base, beneficiaryId: id, note: 'x'.repeat(1001) },
        'input.note',
        'TOO_LONG',
      ],
      [viewer(OWN), { ...base, clientKey: '' }, 'input.clientKey', 'REQUIRED'],
    ];
    for (const [who, input, field, code] of cases) {
      const result = await record(who, input);
      expect(
        {
          visit: result.visit,
          errors: result.errors.map((e) => ({ field: e.field, code: e.code })),
        },
        `${field} ${code}`,
      ).toEqual({ visit: null, errors: [{ field, code }] });
    }
    // The one linked attempt the rules refused left nothing behind.
    expect(await facet(viewer(OWN), id)).toEqual({ visits: null, code: undefined });
  });
});
