// The network directory through the gateway: people, offers and referrals, paginated as Relay
// connections, and the two network mutations.
import { beneficiaries, courses, partners, sites } from '@passerelle/demo-data';
import { describe, expect, it } from 'vitest';
import { as, viewers } from './client.ts';

const housing = as(viewers.housingStaff);

describe('course directory', () => {
  it('filters offers by partner, kind, language, municipality and dates', async () => {
    const result = await housing(
      `query Directory($filter: CourseFilter) {
        courses(filter: $filter, first: 10) { totalCount nodes { id title partner { id } site { municipality } } }
      }`,
      { filter: { kind: 'DIGITAL_INITIATION', language: 'fr', municipality: 'Saint-Gilles' } },
    );
    expect(result.errors).toBeUndefined();
    const ids = result.data?.courses.nodes.map((course: { id: string }) => course.id);
    expect(ids).toEqual(expect.arrayContaining([courses.premiersPas.id]));
    for (const course of result.data?.courses.nodes ?? []) {
      expect(course.partner.id).toBe(partners.clic.id);
      expect(course.site.municipality).toBe('Saint-Gilles');
    }
  });

  it('pages through a connection with cursors, without gaps or repeats', async () => {
    const page = (after?: string) =>
      housing(
        `query Page($after: String) {
          courses(first: 2, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
        }`,
        after ? { after } : {},
      );
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i += 1) {
      const result = await page(after);
      expect(result.errors).toBeUndefined();
      const connection = result.data?.courses;
      seen.push(...connection.edges.map((edge: { node: { id: string } }) => edge.node.id));
      if (!connection.pageInfo.hasNextPage) {
        expect(seen.length).toBe(connection.totalCount);
        break;
      }
      after = connection.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('caps `first` and refuses a forged cursor with a stable code', async () => {
    const capped = await housing('{ beneficiaries(first: 100000) { nodes { id } } }');
    expect(capped.errors?.[0]?.extensions?.code ?? 'capped').not.toBe('INTERNAL_SERVER_ERROR');
    const forged = await housing('{ courses(first: 2, after: "not-a-cursor") { totalCount } }');
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('network mutations', () => {
  it('registers a person known to the caller, and refuses bad input without writing', async () => {
    const register = `mutation Register($input: RegisterBeneficiaryInput!) {
      registerBeneficiary(input: $input) {
        beneficiary { id givenName registeredBy { id } knownBy { partner { id } } }
        errors { field code message }
      }
    }`;
    const bad = await housing(register, {
      input: { givenName: ' ', familyName: 'Test', birthYear: 1700 },
    });
    expect(bad.errors).toBeUndefined();
    expect(bad.data?.registerBeneficiary.beneficiary).toBeNull();
    const codes = bad.data?.registerBeneficiary.errors.map((e: { code: string }) => e.code);
    expect(codes).toEqual(expect.arrayContaining(['REQUIRED', 'OUT_OF_RANGE']));

    const good = await housing(register, {
      input: {
        givenName: 'Rania',
        familyName: 'Test',
        birthYear: 1992,
        preferredLanguages: ['fr'],
        municipality: 'Saint-Gilles',
      },
    });
    expect(good.data?.registerBeneficiary.errors).toEqual([]);
    const person = good.data?.registerBeneficiary.beneficiary;
    expect(person.registeredBy.id).toBe(partners.aisQuartiers.id);
    expect(person.knownBy.map((link: { partner: { id: string } }) => link.partner.id)).toContain(
      partners.aisQuartiers.id,
    );
  });

  it('publishes a course of the caller’s partner into the directory', async () => {
    const result = await as(viewers.trainer)(
      `mutation Publish($input: PublishCourseInput!) {
        publishCourse(input: $input) { course { id title partner { id } capacity } errors { field code } }
      }`,
      {
        input: {
          kind: 'DIGITAL_INITIATION',
          title: 'Tablette pour débutants',
          description: 'Six séances pour apprivoiser une tablette.',
          languages: ['fr'],
          audience: 'SENIORS',
          siteId: sites.clicClassroom.id,
          startsOn: '2027-01-11',
          endsOn: '2027-02-15',
          schedule: 'Lundi 14:00–16:00',
          capacity: 8,
        },
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.publishCourse.errors).toEqual([]);
    expect(result.data?.publishCourse.course.partner.id).toBe(partners.clic.id);
  });

  it('lets only a partner’s staff and admins register people and publish courses', async () => {
    const volunteer = as({
      partner: partners.aisQuartiers.id,
      role: 'volunteer',
      sub: 'volunteer:directory',
    });
    const registered = await volunteer(
      `mutation($input: RegisterBeneficiaryInput!) { registerBeneficiary(input: $input) { beneficiary { id } errors { code } } }`,
      { input: { givenName: 'Refusée', familyName: 'Volunteer' } },
    );
    expect(registered.data?.registerBeneficiary).toEqual({
      beneficiary: null,
      errors: [{ code: 'NOT_ALLOWED' }],
    });
    const written = await housing(
      `{ beneficiaries(first: 5, filter: { name: "Refusée" }) { totalCount } }`,
    );
    expect(written.data?.beneficiaries.totalCount).toBe(0);

    // A token of another role that carries a partner claim gets no further.
    const published = await as({ partner: partners.clic.id, role: 'beneficiary', sub: 'b:1' })(
      `mutation($input: PublishCourseInput!) { publishCourse(input: $input) { course { id } errors { code } } }`,
      {
        input: {
          kind: 'DIGITAL_INITIATION',
          title: 'Refused course',
          description: 'Never published.',
          languages: ['fr'],
          audience: 'SENIORS',
          startsOn: '2027-01-11',
          endsOn: '2027-02-15',
          schedule: 'Lundi 14:00–16:00',
          capacity: 8,
        },
      },
    );
    expect(published.data?.publishCourse).toEqual({
      course: null,
      errors: [{ code: 'NOT_ALLOWED' }],
    });
  });
});

describe('referrals between partners', () => {
  it('lists the referrals a partner sent, with their history', async () => {
    const result = await housing(
      `query Sent($filter: ReferralFilter) {
        referrals(filter: $filter, first: 20) {
          totalCount
          nodes { status from { id } to { name } beneficiary { id } course { title } history { toStatus at } }
        }
      }`,
      // Other files send referrals from the same partner on the shared stack (the bench smoke's
      // mutation mix): the seeded referral of Amina is asked for by person, not by page position.
      {
        filter: { fromPartnerId: partners.aisQuartiers.id, beneficiaryId: beneficiaries.amina.id },
      },
    );
    expect(result.errors).toBeUndefined();
    const nodes = result.data?.referrals.nodes ?? [];
    expect(nodes.length).toBeGreaterThan(0);
    for (const referral of nodes) {
      expect(referral.from.id).toBe(partners.aisQuartiers.id);
      expect(referral.history[0].toStatus).toBe('SENT');
    }
    expect(nodes.map((r: { beneficiary: { id: string } }) => r.beneficiary.id)).toContain(
      beneficiaries.amina.id,
    );
  });
});
