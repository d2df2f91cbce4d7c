// The training partner's side of referrals and course capacity, through the real gateway:
// enrolling a person in one step from an accepted course referral, the refusals around it, and
// the coordinators' list of courses with no seat left, with its SQL statement budget.
import { beneficiaries, courses, partners } from '@passerelle/demo-data';
import { startInProcessStack, type InProcessStack, type TestViewer } from '@passerelle/testkit';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SENDER = partners.aisQuartiers.id;
const TRAINING = partners.clic.id;

const staffOf = (partner: string): TestViewer => ({
  partner,
  role: 'staff',
  sub: `staff:training-referrals@${partner}`,
});
const trainer = staffOf(TRAINING);
const volunteer: TestViewer = { partner: TRAINING, role: 'volunteer', sub: 'volunteer:tr' };
const coordinator: TestViewer = { partner: null, role: 'coordinator', sub: 'coordinator:tr' };

interface Referral {
  id: string;
  status: string;
  version: number;
}
interface InputErrorView {
  field: string;
  code: string;
  message: string;
}
interface Enrollment {
  id: string;
  status: string;
  course: { id: string };
  beneficiary: { id: string };
  referral: { id: string } | null;
}

const REFERRAL_FIELDS = 'id status version';
const ENROLLMENT_FIELDS = 'id status course { id } beneficiary { id } referral { id }';

let stack: InProcessStack;
let keys = 0;

beforeAll(async () => {
  stack = await startInProcessStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function createReferral(from: string, overrides: Record<string, unknown>): Promise<Referral> {
  const result = await stack.query(
    staffOf(from),
    `mutation($input: CreateReferralInput!) {
      createReferral(input: $input) { referral { ${REFERRAL_FIELDS} } errors { field code } }
    }`,
    {
      input: {
        idempotencyKey: `training-referral-${++keys}`,
        beneficiaryId: beneficiaries.amina.id,
        toPartnerId: TRAINING,
        courseId: courses.premiersPas.id,
        reason: 'Wants to learn to use e-mail',
        consent: {
          categories: ['identity', 'training'],
          method: 'WRITTEN',
          noticeVersion: '2026-09',
          noticeLanguage: 'fr',
        },
        ...overrides,
      },
    },
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?.createReferral.errors).toEqual([]);
  return result.data?.createReferral.referral as Referral;
}

async function transition(viewer: TestViewer, referral: Referral, action: string) {
  const result = await stack.query(
    viewer,
    `mutation($input: TransitionReferralInput!) {
      transitionReferral(input: $input) { referral { ${REFERRAL_FIELDS} } errors { field code } }
    }`,
    { input: { referralId: referral.id, expectedVersion: referral.version, action } },
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?.transitionReferral.errors).toEqual([]);
  return result.data?.transitionReferral.referral as Referral;
}

/** A referral from `from` to the training partner, moved along `actions` by the receiver. */
async function referral(
  actions: string[],
  overrides: Record<string, unknown> = {},
  from = SENDER,
): Promise<Referral> {
  let current = await createReferral(from, overrides);
  for (const action of actions) current = await transition(trainer, current, action);
  return current;
}

async function enroll(viewer: TestViewer, input: Record<string, unknown>) {
  const result = await stack.query(
    viewer,
    `mutation($input: EnrollInput!) {
      enroll(input: $input) { enrollment { ${ENROLLMENT_FIELDS} } errors { field code message } }
    }`,
    { input },
  );
  expect(result.errors).toBeUndefined();
  return result.data?.enroll as { enrollment: Enrollment | null; errors: InputErrorView[] };
}

const trainingRows = <T>(query: SQL) => stack.rows<T>('training', query);

async function enrollmentsOf(beneficiaryId: string, courseId: string) {
  return trainingRows<{ id: string; status: string; referral_id: string | null }>(
    sql`select id, status, referral_id from enrollments
        where beneficiary_id = ${beneficiaryId}::uuid and course_id = ${courseId}::uuid`,
  );
}

describe('enrolling from an accepted course referral', () => {
  it('enrolls the referred person in the referred course from the referral id alone', async () => {
    const accepted = await referral(['ACKNOWLEDGE', 'ACCEPT']);
    expect(accepted.status).toBe('ACCEPTED');

    const first = await enroll(trainer, { referralId: accepted.id });
    expect(first.errors).toEqual([]);
    expect(first.enrollment).toMatchObject({
      status: 'ENROLLED',
      course: { id: courses.premiersPas.id },
      beneficiary: { id: beneficiaries.amina.id },
      referral: { id: accepted.id },
    });

    // Again, by referral or by course and person: the same enrollment, nothing added.
    const again = await enroll(trainer, { referralId: accepted.id });
    expect(again.errors).toEqual([]);
    expect(again.enrollment).toEqual(first.enrollment);
    const direct = await enroll(trainer, {
      courseId: courses.premiersPas.id,
      beneficiaryId: beneficiaries.amina.id,
    });
    expect(direct.enrollment).toEqual(first.enrollment);
    expect(await enrollmentsOf(beneficiaries.amina.id, courses.premiersPas.id)).toEqual([
      { id: first.enrollment!.id, status: 'ENROLLED', referral_id: accepted.id },
    ]);

    // A later referral of the same person to the same course keeps the first one recorded.
    const later = await referral(['ACKNOWLEDGE', 'ACCEPT', 'START']);
    const fromLater = await enroll(trainer, { referralId: later.id });
    expect(fromLater.errors).toEqual([]);
    expect(fromLater.enrollment).toEqual(first.enrollment);
  });

  it('accepts and enrolls in one operation, the mutations running in order', async () => {
    const acknowledged = await referral(['ACKNOWLEDGE'], {
      beneficiaryId: beneficiaries.yassin.id,
      courseId: courses.smartphone.id,
    });
    const result = await stack.query(
      trainer,
      `mutation($referralId: ID!, $version: Int!) {
        transitionReferral(input: { referralId: $referralId, expectedVersion: $version, action: ACCEPT }) {
          referral { id status } errors { code }
        }
        enroll(input: { referralId: $referralId }) {
          enrollment { ${ENROLLMENT_FIELDS} referral { status } } errors { code }
        }
      }`,
      { referralId: acknowledged.id, version: acknowledged.version },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.transitionReferral).toEqual({
      referral: { id: acknowledged.id, status: 'ACCEPTED' },
      errors: [],
    });
    expect(result.data?.enroll.errors).toEqual([]);
    expect(result.data?.enroll.enrollment).toMatchObject({
      status: 'ENROLLED',
      course: { id: courses.smartphone.id },
      beneficiary: { id: beneficiaries.yassin.id },
      referral: { id: acknowledged.id, status: 'ACCEPTED' },
    });
    expect(await enrollmentsOf(beneficiaries.yassin.id, courses.smartphone.id)).toEqual([
      {
        id: result.data?.enroll.enrollment.id,
        status: 'ENROLLED',
        referral_id: acknowledged.id,
      },
    ]);
  });

  it('shows the referral of an enrollment to the running partner staff only', async () => {
    const query = `query($id: ID!) { beneficiary(id: $id) { training { enrollments { course { id } referral { id } } } } }`;
    const read = async (viewer: TestViewer) => {
      const result = await stack.query(viewer, query, { id: beneficiaries.yassin.id });
      expect(result.errors).toBeUndefined();
      return result.data?.beneficiary.training.enrollments as {
        course: { id: string };
        referral: { id: string } | null;
      }[];
    };
    const byStaff = await read(trainer);
    expect(byStaff.find((e) => e.course.id === courses.smartphone.id)?.referral).not.toBeNull();
    const byVolunteer = await read(volunteer);
    expect(byVolunteer.find((e) => e.course.id === courses.smartphone.id)).toMatchObject({
      referral: null,
    });
  });

  it('refuses a referral not accepted yet, naming its status, and enrolls no one', async () => {
    const person = { beneficiaryId: beneficiaries.jean.id, courseId: courses.smartphone.id };
    const sent = await referral([], person);
    const acknowledged = await referral(['ACKNOWLEDGE'], person);
    for (const open of [sent, acknowledged]) {
      const refused = await enroll(trainer, { referralId: open.id });
      expect(refused.enrollment).toBeNull();
      expect(refused.errors).toEqual([
        { field: 'input.referralId', code: 'NOT_ALLOWED', message: expect.any(String) },
      ]);
      expect(refused.errors[0]!.message).toContain(open.status);
    }
    expect(await enrollmentsOf(beneficiaries.jean.id, courses.smartphone.id)).toEqual([]);
  });

  it("treats another partners' referral and an unknown id as not found", async () => {
    const elsewhere = await referral([], { toPartnerId: partners.femmes.id, courseId: null });
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const referralId of [elsewhere.id, unknown]) {
      const refused = await enroll(trainer, { referralId });
      expect(refused.enrollment).toBeNull();
      expect(refused.errors.map(({ field, code }) => ({ field, code }))).toEqual([
        { field: 'input.referralId', code: 'NOT_FOUND' },
      ]);
    }
  });

  it('refuses a referral the training partner sent rather than received', async () => {
    const sentByTraining = await createReferral(TRAINING, {
      toPartnerId: SENDER,
      courseId: null,
    });
    const refused = await enroll(trainer, { referralId: sentByTraining.id });
    expect(refused.errors.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'input.referralId', code: 'NOT_ALLOWED' },
    ]);
  });

  it('refuses a referral that is not for a course', async () => {
    const noCourse = await referral(['ACKNOWLEDGE', 'ACCEPT'], { courseId: null });
    const refused = await enroll(trainer, { referralId: noCourse.id });
    expect(refused.enrollment).toBeNull();
    expect(refused.errors).toEqual([
      {
        field: 'input.referralId',
        code: 'INVALID',
        message: 'This referral is not for a course',
      },
    ]);
  });

  it('asks for one way of enrolling: the referral alone, or the course and the person', async () => {
    const accepted = await referral(['ACKNOWLEDGE', 'ACCEPT']);
    const both = await enroll(trainer, {
      referralId: accepted.id,
      courseId: courses.premiersPas.id,
      beneficiaryId: beneficiaries.amina.id,
    });
    expect(both.enrollment).toBeNull();
    expect(both.errors.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'input.referralId', code: 'INVALID' },
    ]);
    const neither = await enroll(trainer, {});
    expect(neither.errors.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'input.courseId', code: 'REQUIRED' },
      { field: 'input.beneficiaryId', code: 'REQUIRED' },
    ]);
    const halfway = await enroll(trainer, { courseId: courses.premiersPas.id });
    expect(halfway.errors.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'input.beneficiaryId', code: 'REQUIRED' },
    ]);
  });

  it('lets only the training partner staff enroll from a referral', async () => {
    const accepted = await referral(['ACKNOWLEDGE', 'ACCEPT']);
    for (const viewer of [volunteer, staffOf(SENDER)]) {
      const refused = await enroll(viewer, { referralId: accepted.id });
      expect(refused.errors.map(({ field, code }) => ({ field, code }))).toEqual([
        { field: 'input', code: 'NOT_ALLOWED' },
      ]);
    }
  });
});

describe('courses without seats', () => {
  const FULL = `query($runningOn: Date) {
    trainingCoursesWithoutSeats(runningOn: $runningOn) {
      id title capacity training { seatsTaken seatsLeft waitlisted }
    }
  }`;
  let small: string;
  let roomy: string;

  async function publish(title: string, capacity: number): Promise<string> {
    const result = await stack.query(
      trainer,
      `mutation($input: PublishCourseInput!) { publishCourse(input: $input) { course { id } errors { field code } } }`,
      {
        input: {
          kind: 'DIGITAL_INITIATION',
          title,
          description: 'Un petit groupe pour commencer.',
          languages: ['fr'],
          audience: 'ADULTS',
          siteId: null,
          startsOn: '2027-01-11',
          endsOn: '2027-03-29',
          schedule: 'Lundi 9h30–12h00',
          capacity,
        },
      },
    );
    expect(result.data?.publishCourse.errors).toEqual([]);
    return result.data?.publishCourse.course.id as string;
  }

  async function full(viewer: TestViewer, runningOn?: string) {
    const result = await stack.query(viewer, FULL, runningOn ? { runningOn } : {});
    expect(result.errors).toBeUndefined();
    return result.data?.trainingCoursesWithoutSeats as {
      id: string;
      title: string;
      capacity: number;
      training: { seatsTaken: number; seatsLeft: number; waitlisted: number };
    }[];
  }

  beforeAll(async () => {
    small = await publish('Petit groupe', 1);
    roomy = await publish('Groupe moyen', 2);
    for (const courseId of [small, roomy]) {
      const enrolled = await enroll(trainer, { courseId, beneficiaryId: beneficiaries.olena.id });
      expect(enrolled.enrollment?.status).toBe('ENROLLED');
    }
    const waiting = await enroll(trainer, {
      courseId: small,
      beneficiaryId: beneficiaries.marta.id,
    });
    expect(waiting.enrollment?.status).toBe('WAITLISTED');
  });

  it('lists the running courses whose seats are all taken, and no other', async () => {
    const list = await full(coordinator);
    expect(list).toEqual([
      {
        id: small,
        title: 'Petit groupe',
        capacity: 1,
        training: { seatsTaken: 1, seatsLeft: 0, waitlisted: 1 },
      },
    ]);
    const ids = list.map((course) => course.id);
    for (const withSeats of [roomy, courses.premiersPas.id, courses.smartphone.id]) {
      expect(ids).not.toContain(withSeats);
    }
  });

  it('is open to coordinators and to any partner staff and volunteers, never to a person', async () => {
    for (const viewer of [staffOf(SENDER), staffOf(partners.femmes.id), volunteer]) {
      expect((await full(viewer)).map((course) => course.id)).toEqual([small]);
    }
    const person = await stack.query(
      { partner: null, role: 'beneficiary', sub: 'person:tr' },
      FULL,
    );
    expect(person.data).toBeNull();
    expect(person.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('costs the same few SQL statements in training however many courses are full', async () => {
    stack.resetStatementCounts();
    await full(coordinator);
    const one = stack.statementCounts();

    const filled = await enroll(trainer, {
      courseId: roomy,
      beneficiaryId: beneficiaries.fatou.id,
    });
    expect(filled.enrollment?.status).toBe('ENROLLED');
    stack.resetStatementCounts();
    const list = await full(coordinator);
    const two = stack.statementCounts();

    expect(list.map((course) => course.id).sort()).toEqual([small, roomy].sort());
    expect(two['training']).toBe(one['training']);
    expect(two['network']).toBe(one['network']);
    // The list is one grouped statement; the seat counts shown add one per entity type.
    expect(two['training']).toBeGreaterThan(0);
    expect(two['training']).toBeLessThanOrEqual(3);

    stack.resetStatementCounts();
    const ids = await stack.query(coordinator, `{ trainingCoursesWithoutSeats { id } }`);
    expect(ids.errors).toBeUndefined();
    expect(stack.statementCounts()['training']).toBe(1);
  });

  it('keeps only courses with a session on the day asked or later', async () => {
    // The small course's only session: 18 January 2027, 9:30 to 12:00 in Brussels.
    await trainingRows(
      sql`insert into course_sessions (course_id, starts_at, ends_at, topic, trainer)
          values (${small}::uuid, '2027-01-18T08:30:00Z', '2027-01-18T11:00:00Z', 'La souris', 'Rachid')`,
    );
    expect((await full(coordinator, '2027-01-18')).map((c) => c.id)).toContain(small);
    expect((await full(coordinator, '2027-01-19')).map((c) => c.id)).not.toContain(small);
    // A course with no session planned yet is still to come.
    expect((await full(coordinator, '2027-01-19')).map((c) => c.id)).toContain(roomy);
  });
});
