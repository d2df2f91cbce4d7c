// The women's networks and network referrals through the real gateway: registering a woman in a
// workshop from an accepted referral in one step, and the coordinators' list of full workshops.
import {
  beneficiaries,
  courses,
  demoId,
  partners,
  referrals as demoReferrals,
} from '@passerelle/demo-data';
import { ManualClock } from '@passerelle/service';
import { startInProcessStack, type InProcessStack, type TestViewer } from '@passerelle/testkit';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FEMMES = partners.femmes.id;
const IRIS = partners.aisIris.id;
const CLIC = partners.clic.id;
const TOURNESOLS = partners.tournesols.id;

const staffOf = (partner: string): TestViewer => ({
  partner,
  role: 'staff',
  sub: `staff:women-referrals@${partner}`,
});
const coordinator: TestViewer = { partner: null, role: 'coordinator', sub: 'coordinator:women' };

interface InputErrorResult {
  field: string;
  code: string;
  message: string;
}
interface Participation {
  id: string;
  status: string;
  childcareNeeded: boolean;
  childrenCount: number;
  workshop: { id: string };
  beneficiary: { id: string };
  referral: { id: string; status: string } | null;
}

const PARTICIPATION = `participation {
  id status childcareNeeded childrenCount workshop { id } beneficiary { id } referral { id status }
}
errors { field code message }`;
const REGISTER = `mutation($input: WomenRegisterParticipationInput!) {
  registerParticipation(input: $input) { ${PARTICIPATION} }
}`;

let stack: InProcessStack;
let keys = 0;

beforeAll(async () => {
  // The women subgraph reads "today" from this clock; nothing else in these tests depends on it.
  stack = await startInProcessStack({ clock: new ManualClock(new Date('2026-11-10T10:00:00Z')) });
});
afterAll(async () => {
  await stack?.stop();
});

async function register(input: Record<string, unknown>, viewer = staffOf(FEMMES)) {
  const result = await stack.query(viewer, REGISTER, { input });
  expect(result.errors).toBeUndefined();
  return result.data?.registerParticipation as {
    participation: Participation | null;
    errors: InputErrorResult[];
  };
}

interface Referral {
  id: string;
  version: number;
  status: string;
}

async function refer(
  from: string,
  beneficiaryId: string,
  courseId: string | null,
): Promise<Referral> {
  const result = await stack.query(
    staffOf(from),
    `mutation($input: CreateReferralInput!) {
      createReferral(input: $input) { referral { id version status } errors { field code } }
    }`,
    {
      input: {
        idempotencyKey: `women-referrals-${++keys}`,
        beneficiaryId,
        toPartnerId: FEMMES,
        courseId,
        reason: 'Souhaite un atelier entre femmes',
        consent: {
          categories: ['identity', 'women'],
          method: 'WRITTEN',
          noticeVersion: '2026-09',
          noticeLanguage: 'fr',
        },
      },
    },
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?.createReferral.errors).toEqual([]);
  return result.data?.createReferral.referral as Referral;
}

async function step(referral: Referral, action: string): Promise<Referral> {
  const result = await stack.query(
    staffOf(FEMMES),
    `mutation($input: TransitionReferralInput!) {
      transitionReferral(input: $input) { referral { id version status } errors { field code } }
    }`,
    { input: { referralId: referral.id, expectedVersion: referral.version, action } },
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?.transitionReferral.errors).toEqual([]);
  return result.data?.transitionReferral.referral as Referral;
}

async function accepted(from: string, beneficiaryId: string, courseId: string | null) {
  return step(await step(await refer(from, beneficiaryId, courseId), 'ACKNOWLEDGE'), 'ACCEPT');
}

/** Participation rows of a woman in the women subgraph's database, read directly. */
async function participationCount(beneficiaryId: string): Promise<number> {
  const result = (await stack.subgraphs
    .get('women')!
    .database.db.execute(
      sql`select count(*)::int as n from participations where beneficiary_id = ${beneficiaryId}::uuid`,
    )) as unknown as { n: number }[] | { rows: { n: number }[] };
  const rows = Array.isArray(result) ? result : result.rows;
  return rows[0]!.n;
}

describe('registering a woman from a referral', () => {
  it('registers the woman a referral names in its workshop, once, and keeps the referral', async () => {
    // Marta is known to AIS Iris; accepting the referral links her to Femmes Connectées.
    const referral = await accepted(IRIS, beneficiaries.marta.id, courses.atelierFemmes.id);
    expect(referral.status).toBe('ACCEPTED');

    const first = await register({ referralId: referral.id, childcareNeeded: false });
    expect(first.errors).toEqual([]);
    expect(first.participation).toMatchObject({
      status: 'REGISTERED',
      childcareNeeded: false,
      childrenCount: 0,
      workshop: { id: courses.atelierFemmes.id },
      beneficiary: { id: beneficiaries.marta.id },
      referral: { id: referral.id, status: 'ACCEPTED' },
    });

    const again = await register({ referralId: referral.id, childcareNeeded: false });
    expect(again.errors).toEqual([]);
    expect(again.participation?.id).toBe(first.participation?.id);
    expect(await participationCount(beneficiaries.marta.id)).toBe(1);

    // The direct form finds the same participation.
    const direct = await register({
      courseId: courses.atelierFemmes.id,
      beneficiaryId: beneficiaries.marta.id,
      childcareNeeded: false,
    });
    expect(direct.participation?.id).toBe(first.participation?.id);
  });

  it('accepts and registers in one operation, with childcare', async () => {
    const referral = await step(
      await refer(TOURNESOLS, beneficiaries.fatou.id, courses.atelierFemmes.id),
      'ACKNOWLEDGE',
    );
    const result = await stack.query(
      staffOf(FEMMES),
      `mutation($accept: TransitionReferralInput!, $register: WomenRegisterParticipationInput!) {
        transitionReferral(input: $accept) { referral { status } errors { code } }
        registerParticipation(input: $register) { ${PARTICIPATION} }
      }`,
      {
        accept: { referralId: referral.id, expectedVersion: referral.version, action: 'ACCEPT' },
        register: { referralId: referral.id, childcareNeeded: true, childrenCount: 1 },
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.transitionReferral).toEqual({
      referral: { status: 'ACCEPTED' },
      errors: [],
    });
    expect(result.data?.registerParticipation.errors).toEqual([]);
    expect(result.data?.registerParticipation.participation).toMatchObject({
      childcareNeeded: true,
      childrenCount: 1,
      beneficiary: { id: beneficiaries.fatou.id },
      referral: { id: referral.id, status: 'ACCEPTED' },
    });
  });

  it('registers from a referral in progress, returning her participation, which keeps it', async () => {
    // Tigist's demo referral is IN_PROGRESS, and she was registered directly before.
    const tigist = demoReferrals.find((r) => r.id === demoId('referral:tigist-atelier'))!;
    const result = await register({ referralId: tigist.id, childcareNeeded: false });
    expect(result.errors).toEqual([]);
    expect(result.participation).toMatchObject({
      id: demoId(`women-participation:${courses.atelierFemmes.id}:${beneficiaries.tigist.id}`),
      status: 'ATTENDING',
      childcareNeeded: true,
      referral: { id: tigist.id },
    });
  });

  it('refuses a referral not accepted yet, naming its status, and writes nothing', async () => {
    const sent = await refer(CLIC, beneficiaries.nadia.id, courses.atelierFemmes.id);
    const whenSent = await register({ referralId: sent.id, childcareNeeded: false });
    expect(whenSent).toEqual({
      participation: null,
      errors: [
        {
          field: 'input.referralId',
          code: 'NOT_ALLOWED',
          message: expect.stringContaining('SENT') as unknown as string,
        },
      ],
    });
    const acknowledged = await step(sent, 'ACKNOWLEDGE');
    const whenAcknowledged = await register({
      referralId: acknowledged.id,
      childcareNeeded: false,
    });
    expect(whenAcknowledged.errors).toEqual([
      {
        field: 'input.referralId',
        code: 'NOT_ALLOWED',
        message: expect.stringContaining('ACKNOWLEDGED') as unknown as string,
      },
    ]);
    expect(await participationCount(beneficiaries.nadia.id)).toBe(0);
  });

  it('refuses a referral that is closed', async () => {
    // Amina is known to AIS Quartiers; her referral went all the way to completion.
    const taken = await accepted(
      partners.aisQuartiers.id,
      beneficiaries.amina.id,
      courses.securite.id,
    );
    const started = await step(taken, 'START');
    const completed = await stack.query(
      staffOf(FEMMES),
      `mutation($input: TransitionReferralInput!) {
        transitionReferral(input: $input) { referral { status } errors { code } }
      }`,
      {
        input: {
          referralId: started.id,
          expectedVersion: started.version,
          action: 'COMPLETE',
          outcome: 'A suivi un autre atelier',
        },
      },
    );
    expect(completed.data?.transitionReferral.referral.status).toBe('COMPLETED');
    const result = await register({ referralId: started.id, childcareNeeded: false });
    expect(result.errors).toEqual([
      {
        field: 'input.referralId',
        code: 'NOT_ALLOWED',
        message: expect.stringContaining('COMPLETED') as unknown as string,
      },
    ]);
  });

  it('answers NOT_FOUND for an unknown referral and for one between other partners', async () => {
    const unknown = await register({
      referralId: demoId('referral:nobody'),
      childcareNeeded: false,
    });
    expect(unknown.errors).toEqual([
      { field: 'input.referralId', code: 'NOT_FOUND', message: 'No such referral visible to you' },
    ]);
    // AIS Quartiers → Clic Formation: Femmes Connectées cannot read it, and learns nothing of it.
    const others = await register({
      referralId: demoId('referral:amina-premiers-pas'),
      childcareNeeded: false,
    });
    expect(others).toEqual(unknown);
  });

  it('refuses a referral the network sent rather than received', async () => {
    const result = await register({
      referralId: demoId('referral:samira-demarches'),
      childcareNeeded: false,
    });
    expect(result.errors).toEqual([
      {
        field: 'input.referralId',
        code: 'NOT_ALLOWED',
        message: 'This referral was not sent to your network',
      },
    ]);
  });

  it('refuses a referral that names no workshop', async () => {
    const referral = await accepted(IRIS, beneficiaries.tigist.id, null);
    const result = await register({ referralId: referral.id, childcareNeeded: false });
    expect(result.errors).toEqual([
      {
        field: 'input.referralId',
        code: 'INVALID',
        message: 'This referral is not for a workshop',
      },
    ]);
  });

  it('takes either a referral or a workshop and a woman, not both nor neither', async () => {
    const referral = demoId('referral:tigist-atelier');
    const both = await register({
      referralId: referral,
      courseId: courses.atelierFemmes.id,
      beneficiaryId: beneficiaries.tigist.id,
      childcareNeeded: false,
    });
    expect(both.participation).toBeNull();
    expect(both.errors.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'input.referralId', code: 'INVALID' },
    ]);
    const withCourse = await register({
      referralId: referral,
      courseId: courses.atelierFemmes.id,
      childcareNeeded: false,
    });
    expect(withCourse.errors.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'input.referralId', code: 'INVALID' },
    ]);
    const neither = await register({ childcareNeeded: false });
    expect(neither.errors.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'input.courseId', code: 'REQUIRED' },
      { field: 'input.beneficiaryId', code: 'REQUIRED' },
    ]);
    const halfDirect = await register({
      courseId: courses.atelierFemmes.id,
      childcareNeeded: false,
    });
    expect(halfDirect.errors.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'input.beneficiaryId', code: 'REQUIRED' },
    ]);
  });

  it('keeps registration to the staff of a women network', async () => {
    const result = await register(
      { referralId: demoId('referral:tigist-atelier'), childcareNeeded: false },
      staffOf(IRIS),
    );
    expect(result.errors.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'input', code: 'NOT_ALLOWED' },
    ]);
  });
});

const WITHOUT_PLACES = `query($runningOn: Date) { womenWorkshopsWithoutPlaces(runningOn: $runningOn) { id } }`;

async function withoutPlaces(runningOn?: string, viewer: TestViewer = coordinator) {
  const result = await stack.query(
    viewer,
    WITHOUT_PLACES,
    runningOn === undefined ? {} : { runningOn },
  );
  return {
    ids: (result.data?.womenWorkshopsWithoutPlaces as { id: string }[] | undefined)?.map(
      (course) => course.id,
    ),
    code: result.errors?.[0]?.extensions?.code,
  };
}

/** Publishes a workshop of Femmes Connectées in the directory and sets it up in its subgraph. */
async function publishWorkshop(title: string, capacity: number): Promise<string> {
  const result = await stack.query(
    staffOf(FEMMES),
    `mutation($input: PublishCourseInput!) {
      publishCourse(input: $input) { course { id } errors { field code } }
    }`,
    {
      input: {
        kind: 'WORKSHOP',
        title,
        description: 'Un atelier court, entre femmes.',
        languages: ['fr'],
        audience: 'WOMEN',
        siteId: null,
        startsOn: '2027-01-05',
        endsOn: '2027-01-19',
        schedule: 'Mardi 14h00–16h00',
        capacity,
      },
    },
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?.publishCourse.errors).toEqual([]);
  const id = (result.data?.publishCourse.course as { id: string }).id;
  // The network runs it with its own facilitator and sessions (kept in the women subgraph).
  const women = stack.subgraphs.get('women')!.database.db;
  await women.execute(sql`insert into workshops
    (course_id, network_id, childcare_available, childcare_places, facilitator)
    values (${id}::uuid, ${FEMMES}, false, 0, 'Nour')`);
  await women.execute(sql`insert into workshop_sessions (workshop_id, starts_at, ends_at, theme)
    values
      (${id}::uuid, '2027-01-05T13:00:00Z', '2027-01-05T15:00:00Z', 'Premiers pas'),
      (${id}::uuid, '2027-01-19T13:00:00Z', '2027-01-19T15:00:00Z', 'Bilan')`);
  return id;
}

describe('workshops without places left', () => {
  let full: string;
  let roomy: string;

  beforeAll(async () => {
    full = await publishWorkshop('Atelier court à une place', 1);
    roomy = await publishWorkshop('Atelier court à trois places', 3);
    for (const courseId of [full, roomy]) {
      const result = await register({
        courseId,
        beneficiaryId: beneficiaries.samira.id,
        childcareNeeded: false,
      });
      expect(result.errors).toEqual([]);
    }
  });

  it('lists the workshops whose participants reach their capacity, not those with places left', async () => {
    const { ids } = await withoutPlaces('2027-01-10');
    expect(ids).toContain(full);
    expect(ids).not.toContain(roomy);
    expect(ids).not.toContain(courses.atelierFemmes.id);

    // The directory agrees: no place left in the full one, two in the other.
    const facets = await stack.query(
      coordinator,
      `query($full: ID!, $roomy: ID!) {
        full: course(id: $full) { capacity women { placesLeft participantsCount } }
        roomy: course(id: $roomy) { women { placesLeft } }
      }`,
      { full, roomy },
    );
    expect(facets.data).toEqual({
      full: { capacity: 1, women: { placesLeft: 0, participantsCount: 1 } },
      roomy: { women: { placesLeft: 2 } },
    });

    // And a second woman finds it full.
    const second = await register({
      courseId: full,
      beneficiaryId: beneficiaries.amina.id,
      childcareNeeded: false,
    });
    expect(second.errors.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'input.courseId', code: 'FULL' },
    ]);
  });

  it('keeps the workshops still running on the day, soonest ending first, today by default', async () => {
    // Sécurité en ligne (capacity 2, two women) holds its last session on 20 November 2026.
    const november = await withoutPlaces('2026-11-10');
    expect(november.ids).toEqual([courses.securite.id, full]);
    const lastDay = await withoutPlaces('2026-11-20');
    expect(lastDay.ids).toEqual([courses.securite.id, full]);
    const after = await withoutPlaces('2026-11-21');
    expect(after.ids).toEqual([full]);
    const later = await withoutPlaces('2027-01-20');
    expect(later.ids).toEqual([]);
    // The stack's clock says 10 November 2026.
    expect((await withoutPlaces()).ids).toEqual(november.ids);
  });

  it('refuses a registration from a referral to a full workshop with FULL', async () => {
    const referral = await accepted(IRIS, beneficiaries.tigist.id, full);
    const result = await register({ referralId: referral.id, childcareNeeded: false });
    expect(result.errors.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'input.referralId', code: 'FULL' },
    ]);
  });

  it('is open to coordinators and partner staff only', async () => {
    expect((await withoutPlaces('2026-11-10', staffOf(partners.aisQuartiers.id))).ids).toEqual([
      courses.securite.id,
      full,
    ]);
    expect(
      (await withoutPlaces('2026-11-10', { partner: IRIS, role: 'partner_admin' })).ids,
    ).toHaveLength(2);
    for (const viewer of [
      { partner: FEMMES, role: 'volunteer' },
      { partner: null, role: 'beneficiary' },
    ] as TestViewer[]) {
      expect(await withoutPlaces('2026-11-10', viewer)).toEqual({
        ids: undefined,
        code: 'FORBIDDEN',
      });
    }
  });

  it('costs the same few statements however many workshops are full', async () => {
    const FACET = `query { womenWorkshopsWithoutPlaces(runningOn: "2026-11-10") {
      id title capacity women { participantsCount placesLeft childcarePlacesLeft }
    } }`;
    const measure = async (query: string, expected: number) => {
      stack.resetStatementCounts();
      const result = await stack.query(coordinator, query);
      expect(result.errors).toBeUndefined();
      expect(result.data?.womenWorkshopsWithoutPlaces).toHaveLength(expected);
      return {
        data: result.data?.womenWorkshopsWithoutPlaces as unknown[],
        counts: stack.statementCounts(),
      };
    };
    const bare = await measure(
      'query { womenWorkshopsWithoutPlaces(runningOn: "2026-11-10") { id } }',
      2,
    );
    // One grouped statement in the women subgraph; capacities come from one network lookup.
    expect(bare.counts['women']).toBe(1);

    const few = await measure(FACET, 2);
    expect(few.data).toEqual([
      {
        id: courses.securite.id,
        title: courses.securite.title,
        capacity: 2,
        women: { participantsCount: 2, placesLeft: 0, childcarePlacesLeft: 0 },
      },
      {
        id: full,
        title: 'Atelier court à une place',
        capacity: 1,
        women: { participantsCount: 1, placesLeft: 0, childcarePlacesLeft: 0 },
      },
    ]);
    // The list, then the workshops and their head counts for the facet: one statement each.
    expect(few.counts['women']).toBe(3);

    for (const title of ['Atelier solo A', 'Atelier solo B']) {
      const courseId = await publishWorkshop(title, 1);
      const result = await register({
        courseId,
        beneficiaryId: beneficiaries.olena.id,
        childcareNeeded: false,
      });
      expect(result.errors).toEqual([]);
    }
    const many = await measure(FACET, 4);
    expect(many.counts).toEqual(few.counts);
  });
});
