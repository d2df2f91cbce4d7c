// One person's journey across the partners, and each partner's everyday writes, through the
// real gateway and subgraph processes.
import { beneficiaries, courses } from '@passerelle/demo-data';
import { describe, expect, it } from 'vitest';
import { as, viewers } from './client.ts';

const housing = as(viewers.housingStaff);
const trainer = as(viewers.trainer);
const homework = as(viewers.homeworkStaff);
const women = as(viewers.womenStaff);

async function register(client: ReturnType<typeof as>, givenName: string, birthYear: number) {
  const result = await client(
    `mutation($input: RegisterBeneficiaryInput!) { registerBeneficiary(input: $input) { beneficiary { id } errors { code } } }`,
    { input: { givenName, familyName: 'E2e', birthYear, preferredLanguages: ['fr'] } },
  );
  expect(result.data?.registerBeneficiary.errors).toEqual([]);
  return result.data?.registerBeneficiary.beneficiary.id as string;
}

const inputCodes = (payload: { errors: { code: string }[] }) =>
  payload.errors.map((error) => error.code);

describe('a journey across the partners', () => {
  it('shows Amina and her son across the partners, as far as their consents go', async () => {
    const result = await housing(
      `query Journey($id: ID!) {
        beneficiary(id: $id) {
          givenName
          knownBy { partner { id } }
          housing {
            currentTenancy { dwelling { street unitLabel } household { role beneficiary { id homework { pupilRecords { grade memberships { club { title } presenceRate } } } } } }
            currentLoans { equipment { label } lentOn }
          }
          training { enrollments { status course { title training { seatsLeft } } } attendanceRate }
          women { participations { status workshop { title women { childcareAvailable } } } }
        }
      }`,
      { id: beneficiaries.amina.id },
    );
    // Amina consented to her housing agency following her training and her son's homework
    // club, not her women's-network workshops: that facet is withheld, and says why.
    expect(result.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([
      ['beneficiary.women', 'FORBIDDEN'],
    ]);
    const amina = result.data?.beneficiary;
    expect(amina.givenName).toBe('Amina');
    expect(amina.housing.currentTenancy.dwelling.street).toContain('Jourdan');
    expect(amina.housing.currentLoans.length).toBeGreaterThan(0);
    expect(
      amina.training.enrollments.map((e: { course: { title: string } }) => e.course.title),
    ).toContain(courses.premiersPas.title);
    expect(amina.women).toBeNull();
    const son = amina.housing.currentTenancy.household.find(
      (member: { beneficiary: { id: string } }) =>
        member.beneficiary.id === beneficiaries.yassin.id,
    );
    expect(son.beneficiary.homework.pupilRecords[0].memberships[0].club.title).toBe(
      courses.clubPrimaire.title,
    );
  });
});

describe('training', () => {
  it('enrolls a newly registered person and records their attendance', async () => {
    const id = await register(trainer, 'Karim', 1970);
    const enrolled = await trainer(
      `mutation($input: EnrollInput!) { enroll(input: $input) { enrollment { id status } errors { code } } }`,
      { input: { courseId: courses.smartphone.id, beneficiaryId: id } },
    );
    expect(enrolled.data?.enroll.errors).toEqual([]);
    expect(['ENROLLED', 'WAITLISTED']).toContain(enrolled.data?.enroll.enrollment.status);

    const course = await trainer(
      `query($id: ID!) { course(id: $id) { training { sessions { id } } } }`,
      { id: courses.smartphone.id },
    );
    const sessionId = course.data?.course.training.sessions[0].id;
    const recorded = await trainer(
      `mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { recorded errors { code } } }`,
      { input: { sessionId, entries: [{ beneficiaryId: id, present: true }] } },
    );
    expect(recorded.data?.recordAttendance).toEqual({ recorded: 1, errors: [] });

    const facet = await trainer(
      `query($id: ID!) { beneficiary(id: $id) { training { attendanceRate enrollments { status } } } }`,
      { id },
    );
    expect(facet.data?.beneficiary.training.attendanceRate).toBe(1);
  });

  it('refuses to enroll in another partner’s course, writing nothing', async () => {
    const refused = await trainer(
      `mutation($input: EnrollInput!) { enroll(input: $input) { enrollment { id } errors { field code } } }`,
      { input: { courseId: courses.atelierFemmes.id, beneficiaryId: beneficiaries.olena.id } },
    );
    expect(refused.data?.enroll.enrollment).toBeNull();
    expect(inputCodes(refused.data?.enroll)).toContain('NOT_ALLOWED');
  });
});

describe('housing', () => {
  it('lends a PC and takes it back; a repeated return changes nothing', async () => {
    const lent = await housing(
      `mutation($input: HousingLendPcInput!) { lendPc(input: $input) { loan { id equipment { label } returnedOn } errors { code } } }`,
      { input: { beneficiaryId: beneficiaries.jean.id } },
    );
    expect(lent.data?.lendPc.errors).toEqual([]);
    const loanId = lent.data?.lendPc.loan.id;
    const giveBack = () =>
      housing(
        `mutation($input: HousingReturnPcInput!) { returnPc(input: $input) { loan { id returnedOn returnCondition } errors { code } } }`,
        { input: { loanId, condition: 'Bon état' } },
      );
    const first = await giveBack();
    expect(first.data?.returnPc.loan.returnedOn).toBeTruthy();
    expect((await giveBack()).data?.returnPc).toEqual(first.data?.returnPc);
  });

  it('records a tenancy in the agency’s own dwelling', async () => {
    const id = await register(housing, 'Hassan', 1983);
    const journey = await housing(
      `query($id: ID!) { beneficiary(id: $id) { housing { currentTenancy { dwelling { id } } } } }`,
      {
        id: beneficiaries.jean.id,
      },
    );
    const dwellingId = journey.data?.beneficiary.housing.currentTenancy.dwelling.id;
    const recorded = await housing(
      `mutation($input: HousingRecordTenancyInput!) { recordTenancy(input: $input) { tenancy { role startsOn } errors { code } } }`,
      { input: { beneficiaryId: id, dwellingId, role: 'PARTNER', startsOn: '2026-11-01' } },
    );
    expect(recorded.data?.recordTenancy).toEqual({
      tenancy: { role: 'PARTNER', startsOn: '2026-11-01' },
      errors: [],
    });
  });

  it('refuses a PC loan from another partner’s staff', async () => {
    const refused = await trainer(
      `mutation($input: HousingLendPcInput!) { lendPc(input: $input) { loan { id } errors { code } } }`,
      { input: { beneficiaryId: beneficiaries.jean.id } },
    );
    expect(refused.data?.lendPc.loan).toBeNull();
    expect(inputCodes(refused.data?.lendPc)).toEqual(['NOT_ALLOWED']);
  });
});

describe('homework school', () => {
  it('enrolls a pupil only with the guardian’s consent', async () => {
    const child = await register(homework, 'Nour', 2016);
    const enroll = (guardianConsent: unknown) =>
      homework(
        `mutation($input: HomeworkEnrollPupilInput!) { enrollPupil(input: $input) { membership { club { title } active } errors { field code } } }`,
        {
          input: {
            beneficiaryId: child,
            courseId: courses.clubPrimaire.id,
            grade: 'P5',
            guardian: { name: 'Mme E2e', relation: 'MOTHER' },
            guardianConsent,
          },
        },
      );
    const missing = await enroll(null);
    expect(missing.data?.enrollPupil.membership).toBeNull();
    expect(inputCodes(missing.data?.enrollPupil)).toContain('REQUIRED');
    const done = await enroll({ givenOn: '2026-11-02', method: 'WRITTEN' });
    expect(done.data?.enrollPupil).toEqual({
      membership: { club: { title: courses.clubPrimaire.title }, active: true },
      errors: [],
    });
  });
});

describe('women’s network', () => {
  it('registers a woman in a workshop, once', async () => {
    const id = await register(women, 'Leila', 1989);
    const registerIn = () =>
      women(
        `mutation($input: WomenRegisterParticipationInput!) { registerParticipation(input: $input) { participation { id status } errors { code } } }`,
        {
          input: { beneficiaryId: id, courseId: courses.atelierFemmes.id, childcareNeeded: false },
        },
      );
    const first = await registerIn();
    expect(first.data?.registerParticipation.errors).toEqual([]);
    const again = await registerIn();
    expect(again.data?.registerParticipation.participation.id).toBe(
      first.data?.registerParticipation.participation.id,
    );
  });
});
