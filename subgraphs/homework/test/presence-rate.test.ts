// A club membership's presence rate through the real gateway: the share of the club's recorded
// sessions the child came to, null before any record, and for a whole list of children one
// grouped statement. Yassin and Lina are the demo pupils with presence; the test enrolls a third
// child, who has none yet.
import { beneficiaries, courses, partners } from '@passerelle/demo-data';
import { ManualClock } from '@passerelle/service';
import { startInProcessStack, type InProcessStack, type TestViewer } from '@passerelle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCHOOL = partners.tournesols.id;
const staff: TestViewer = { partner: SCHOOL, role: 'staff', sub: `staff:presence-rate@${SCHOOL}` };

interface Membership {
  id: string;
  presence: { present: boolean }[];
  presenceRate?: number | null;
}
interface Person {
  id: string;
  homework: { pupilRecords: { memberships: Membership[] }[] } | null;
}

/** The school's people with their memberships; `presenceRate` only when asked for. */
const pupilsQuery = (withRate: boolean) => `query($school: ID!) {
  beneficiaries(first: 100, filter: { knownBy: $school }) {
    nodes { id homework { pupilRecords { memberships {
      id presence { present } ${withRate ? 'presenceRate' : ''}
    } } } }
  }
}`;

let stack: InProcessStack;
let newcomer: string;
beforeAll(async () => {
  // A clock that stands still: the served schools, kept by the process for a minute, are read by
  // the first request and never again, so statement counts do not depend on timing.
  stack = await startInProcessStack({ clock: new ManualClock() });
  const registered = await stack.query(
    staff,
    `mutation($input: RegisterBeneficiaryInput!) {
      registerBeneficiary(input: $input) { beneficiary { id } errors { code } }
    }`,
    { input: { givenName: 'Nour', familyName: 'Presence', birthYear: 2016 } },
  );
  expect(registered.data?.registerBeneficiary.errors).toEqual([]);
  newcomer = registered.data?.registerBeneficiary.beneficiary.id as string;
  const enrolled = await stack.query(
    staff,
    `mutation($input: HomeworkEnrollPupilInput!) {
      enrollPupil(input: $input) { membership { id } errors { field code } }
    }`,
    {
      input: {
        beneficiaryId: newcomer,
        courseId: courses.clubPrimaire.id,
        grade: 'P5',
        guardian: { name: 'Mme Presence', relation: 'MOTHER' },
        guardianConsent: { givenOn: '2026-09-01', method: 'WRITTEN' },
      },
    },
  );
  expect(enrolled.data?.enrollPupil.errors).toEqual([]);
});
afterAll(async () => {
  await stack?.stop();
});

async function memberships(withRate: boolean) {
  stack.resetStatementCounts();
  const result = await stack.query(staff, pupilsQuery(withRate), { school: SCHOOL });
  expect(result.errors).toBeUndefined();
  const statements = stack.statementCounts()['homework'] ?? 0;
  const byPerson = new Map<string, Membership[]>();
  for (const person of result.data?.beneficiaries.nodes as Person[]) {
    const list = person.homework?.pupilRecords.flatMap((record) => record.memberships) ?? [];
    if (list.length) byPerson.set(person.id, list);
  }
  return { byPerson, statements };
}

describe('presence rate', () => {
  it('is the share of recorded sessions the child came to, null before any record', async () => {
    const { byPerson } = await memberships(true);
    const [yassin] = byPerson.get(beneficiaries.yassin.id) ?? [];
    const [lina] = byPerson.get(beneficiaries.lina.id) ?? [];
    const [nour] = byPerson.get(newcomer) ?? [];

    // Yassin missed two afternoons, Lina one, of the same recorded sessions.
    const sessions = yassin?.presence.length ?? 0;
    expect(sessions).toBeGreaterThan(10);
    expect(lina?.presence).toHaveLength(sessions);
    expect(yassin?.presenceRate).toBe((sessions - 2) / sessions);
    expect(lina?.presenceRate).toBe((sessions - 1) / sessions);
    // The rate agrees with the session-by-session presence shown beside it.
    for (const membership of [yassin, lina]) {
      const came = membership?.presence.filter((row) => row.present).length ?? 0;
      expect(membership?.presenceRate).toBe(came / sessions);
    }

    expect(nour).toMatchObject({ presence: [], presenceRate: null });
  });

  it('costs one grouped statement for every membership of a list', async () => {
    await memberships(false); // the served schools are read by the first request only
    const without = await memberships(false);
    const withRate = await memberships(true);
    expect(withRate.byPerson.size).toBeGreaterThanOrEqual(3);
    expect(withRate.statements).toBe(without.statements + 1);
  });
});
