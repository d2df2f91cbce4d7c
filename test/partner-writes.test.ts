// The partner subgraphs' writes at their edges, through the real gateway: a person who dropped a
// course or left a workshop taken up again, days checked against the Brussels calendar, and a
// retried help-desk visit that crosses midnight.
import { beneficiaries, courses, demoId, partners, sites } from '@passerelle/demo-data';
import { addDays, brusselsDate, ManualClock } from '@passerelle/service';
import { startInProcessStack, type InProcessStack, type TestViewer } from '@passerelle/testkit';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const staffOf = (partner: string): TestViewer => ({
  partner,
  role: 'staff',
  sub: `staff:partner-writes@${partner}`,
});
const trainer = staffOf(partners.clic.id);
const femmes = staffOf(partners.femmes.id);
const helpDesk = staffOf(partners.mdnSaintGilles.id);
const school = staffOf(partners.tournesols.id);

// 23:30 in Brussels on 16 November (UTC+1): UTC's day is still the 16th until midnight UTC.
const clock = new ManualClock(new Date('2026-11-16T22:30:00Z'));
let stack: InProcessStack;

beforeAll(async () => {
  stack = await startInProcessStack({ clock });
});
afterAll(async () => {
  await stack?.stop();
});

const rowsOf = <T>(subgraph: string, query: SQL) => stack.rows<T>(subgraph, query);

async function register(viewer: TestViewer, givenName: string): Promise<string> {
  const result = await stack.query(
    viewer,
    `mutation($input: RegisterBeneficiaryInput!) {
      registerBeneficiary(input: $input) { beneficiary { id } errors { code } }
    }`,
    { input: { givenName, familyName: 'Writes', birthYear: 1985 } },
  );
  expect(result.data?.registerBeneficiary.errors).toEqual([]);
  return result.data?.registerBeneficiary.beneficiary.id as string;
}

describe('training', () => {
  it('enrolls again, on the same enrollment, someone who dropped the course', async () => {
    const [dropped] = await rowsOf<{ id: string }>(
      'training',
      sql`select id from enrollments where beneficiary_id = ${beneficiaries.nadia.id}::uuid and status = 'DROPPED'`,
    );
    expect(dropped, 'the demo data has Nadia dropped from Premiers pas').toBeDefined();
    const result = await stack.query(
      trainer,
      `mutation($input: EnrollInput!) { enroll(input: $input) { enrollment { id status } errors { code } } }`,
      { input: { courseId: courses.premiersPas.id, beneficiaryId: beneficiaries.nadia.id } },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.enroll.errors).toEqual([]);
    expect(['ENROLLED', 'WAITLISTED']).toContain(result.data?.enroll.enrollment.status);
    expect(result.data?.enroll.enrollment.id).toBe(dropped!.id);
  });

  it('records attendance from the session day on, never for a later one', async () => {
    const attend = (week: number) =>
      stack.query(
        trainer,
        `mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { recorded errors { field code } } }`,
        {
          input: {
            sessionId: demoId(`session:${courses.premiersPas.id}:${week}`),
            entries: [{ beneficiaryId: beneficiaries.amina.id, present: true }],
          },
        },
      );
    // The last session of Premiers pas is on 9 November at 07:30 UTC.
    const now = clock.now();
    try {
      clock.set(new Date('2026-11-08T12:00:00Z'));
      expect((await attend(9)).data?.recordAttendance).toEqual({
        recorded: 0,
        errors: [{ field: 'input.sessionId', code: 'OUT_OF_RANGE' }],
      });
      // The same morning, before it starts: the trainer may call the roll.
      clock.set(new Date('2026-11-09T07:00:00Z'));
      expect((await attend(9)).data?.recordAttendance).toEqual({ recorded: 1, errors: [] });
    } finally {
      clock.set(now);
    }
  });
});

describe('women', () => {
  const registration = `mutation($input: WomenRegisterParticipationInput!) {
    registerParticipation(input: $input) { participation { id status registeredOn } errors { field code } }
  }`;

  it('registers a woman who withdrew again, on the same participation, dated in Brussels', async () => {
    await rowsOf(
      'women',
      sql`update participations set status = 'WITHDRAWN' where workshop_id = ${courses.securite.id}::uuid and beneficiary_id = ${beneficiaries.olena.id}::uuid`,
    );
    const result = await stack.query(femmes, registration, {
      input: {
        courseId: courses.securite.id,
        beneficiaryId: beneficiaries.olena.id,
        childcareNeeded: false,
      },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.registerParticipation).toEqual({
      participation: {
        id: demoId(`women-participation:${courses.securite.id}:${beneficiaries.olena.id}`),
        status: 'REGISTERED',
        registeredOn: brusselsDate(clock.now()),
      },
      errors: [],
    });
    expect(brusselsDate(clock.now())).toBe('2026-11-16');
  });

  it('dates a new registration by the Brussels day, not the database server’s', async () => {
    const now = clock.now();
    try {
      // 00:30 in Brussels on 17 November, still the 16th in UTC.
      clock.set(new Date('2026-11-16T23:30:00Z'));
      const woman = await register(femmes, 'Hanna');
      const result = await stack.query(femmes, registration, {
        input: { courseId: courses.atelierFemmes.id, beneficiaryId: woman, childcareNeeded: false },
      });
      expect(result.data?.registerParticipation.errors).toEqual([]);
      expect(result.data?.registerParticipation.participation.registeredOn).toBe('2026-11-17');
    } finally {
      clock.set(now);
    }
  });
});

describe('help desks', () => {
  it('answers a retry after midnight that names no day with the visit first recorded', async () => {
    const person = await register(helpDesk, 'Yusuf');
    const visit = () =>
      stack.query(
        helpDesk,
        `mutation($input: HelpdeskRecordVisitInput!) {
          helpdeskRecordVisit(input: $input) { visit { id visitedOn } errors { field code } }
        }`,
        {
          input: {
            siteId: sites.salleJourdan.id,
            beneficiaryId: person,
            topic: 'SMARTPHONE_BASICS',
            outcome: 'SOLVED',
            clientKey: `late-visit-${person}`,
          },
        },
      );
    const now = clock.now();
    try {
      clock.set(new Date('2026-11-16T22:55:00Z'));
      const first = await visit();
      expect(first.data?.helpdeskRecordVisit.errors).toEqual([]);
      clock.set(new Date('2026-11-16T23:05:00Z'));
      const retry = await visit();
      expect(retry.data?.helpdeskRecordVisit).toEqual({
        visit: { id: first.data?.helpdeskRecordVisit.visit.id, visitedOn: '2026-11-16' },
        errors: [],
      });
    } finally {
      clock.set(now);
    }
  });
});

describe('homework', () => {
  const today = () => brusselsDate(clock.now());

  it('refuses a child joining more than a year back, or a consent from before 2000', async () => {
    const child = await register(school, 'Adam');
    const enroll = (joinedOn: string, givenOn: string) =>
      stack.query(
        school,
        `mutation($input: HomeworkEnrollPupilInput!) {
          enrollPupil(input: $input) { membership { id } errors { field code } }
        }`,
        {
          input: {
            beneficiaryId: child,
            courseId: courses.clubPrimaire.id,
            grade: 'P3',
            joinedOn,
            guardian: { name: 'M. Writes', relation: 'FATHER' },
            guardianConsent: { givenOn, method: 'WRITTEN' },
          },
        },
      );
    const longAgo = addDays(today(), -400);
    expect((await enroll(longAgo, longAgo)).data?.enrollPupil).toEqual({
      membership: null,
      errors: [{ field: 'input.joinedOn', code: 'OUT_OF_RANGE' }],
    });
    expect((await enroll(today(), '0001-01-01')).data?.enrollPupil).toEqual({
      membership: null,
      errors: [{ field: 'input.guardianConsent.givenOn', code: 'OUT_OF_RANGE' }],
    });
  });

  it('counts admin-help visits of the months that have ended only', async () => {
    const counted = async () => {
      const result = await stack.query(
        { partner: null, role: 'coordinator', sub: 'coordinator:partner-writes' },
        `query($id: ID!) { course(id: $id) { homework { adminHelp { visitsCount } } } }`,
        { id: courses.demarches.id },
      );
      expect(result.errors).toBeUndefined();
      return result.data?.course.homework.adminHelp.visitsCount as number;
    };
    const record = async (visitedOn: string) => {
      const parent = await register(school, 'Karima');
      const result = await stack.query(
        school,
        `mutation($input: HomeworkRecordAdminHelpVisitInput!) {
          recordAdminHelpVisit(input: $input) { errors { field code } }
        }`,
        {
          input: {
            beneficiaryId: parent,
            courseId: courses.demarches.id,
            visitedOn,
            category: 'SOCIAL_SECURITY',
            outcome: 'DONE',
          },
        },
      );
      expect(result.data?.recordAdminHelpVisit.errors).toEqual([]);
    };
    const before = await counted();
    // Asked before and after today's visit, the counts must not tell it apart.
    await record(today());
    expect(await counted()).toBe(before);
    await record(addDays(`${today().slice(0, 7)}-01`, -1));
    expect(await counted()).toBe(before + 1);
  });

  it('refuses an admin-help visit more than a year back', async () => {
    const parent = await register(school, 'Salma');
    const result = await stack.query(
      school,
      `mutation($input: HomeworkRecordAdminHelpVisitInput!) {
        recordAdminHelpVisit(input: $input) { visit { id } errors { field code } }
      }`,
      {
        input: {
          beneficiaryId: parent,
          courseId: courses.demarches.id,
          visitedOn: addDays(today(), -400),
          category: 'BANKING',
          outcome: 'DONE',
        },
      },
    );
    expect(result.data?.recordAdminHelpVisit).toEqual({
      visit: null,
      errors: [{ field: 'input.visitedOn', code: 'OUT_OF_RANGE' }],
    });
  });
});
