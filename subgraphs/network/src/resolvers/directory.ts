// Partners, sites, people and courses of the directory.
import { badInput, isUuid, pageSize, selectedFields, type Viewer } from '@passerelle/service';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.ts';
import type { SeenBeneficiary } from '../repositories/beneficiaries.ts';
import type { BeneficiaryFilter, Resolvers } from '../__generated__/resolvers-types.ts';

/** The fields of a person each filter of the directory tests. */
const FILTERED_FIELDS: Record<keyof BeneficiaryFilter, readonly string[]> = {
  name: ['givenName', 'familyName'],
  municipality: ['municipality'],
  language: ['preferredLanguages'],
  knownBy: ['knownBy'],
};
/** The fields of a person the directory logs when they are disclosed, and to whom. */
const IDENTITY_FIELDS = [
  'givenName',
  'familyName',
  'birthYear',
  'preferredLanguages',
  'municipality',
] as const;
const LINK_FIELDS = ['knownBy', 'registeredBy'];

/** A field of a person's identity, logged before it leaves when the viewer is not linked. */
function identityField(field: (typeof IDENTITY_FIELDS)[number]) {
  return async (person: SeenBeneficiary, _: unknown, { disclosures }: Context) => {
    await disclosures.record(person, field);
    return person[field];
  };
}

/**
 * What a page of the directory tells of each person it lists, beyond the fields' own logging: the
 * list is sorted by name, so its order places each person among people whose names the viewer
 * knows; a filter tells that each matches it. A page that names people in any way (their fields,
 * their cursors, which carry their ids, or the cursor of the last one) is logged; one asked for
 * its `totalCount` or `hasNextPage` only names nobody. Everything is logged in one batch with the
 * fields asked of the people, so that a person listed costs one entry.
 */
function listedFields(
  info: GraphQLResolveInfo,
  filter: BeneficiaryFilter | null | undefined,
  viewer: Viewer,
): string[] {
  const page = selectedFields(info);
  const namesPeople =
    page.has('nodes') || page.has('edges') || selectedFields(info, ['pageInfo']).has('endCursor');
  if (!namesPeople) return [];
  const asked = new Set<string>([
    ...selectedFields(info, ['nodes']),
    ...selectedFields(info, ['edges', 'node']),
  ]);
  const shown: readonly string[] = seesEveryLink(viewer)
    ? [...IDENTITY_FIELDS, ...LINK_FIELDS]
    : IDENTITY_FIELDS;
  const filtered = Object.entries(FILTERED_FIELDS).flatMap(([key, fields]) =>
    filter?.[key as keyof BeneficiaryFilter] ? fields : [],
  );
  return [
    ...new Set([
      'givenName',
      'familyName',
      ...shown.filter((field) => asked.has(field)),
      ...filtered,
    ]),
  ];
}

export const directoryResolvers: Resolvers = {
  Query: {
    partner: (_, { id }, { loaders }) => loaders.partner.load(id),
    partners: (_, __, { repos }) => repos.partners.list(),
    sites: (_, { filter }, { repos }) => repos.sites.list(filter ?? {}),
    beneficiary: (_, { id }, { loaders }) => (isUuid(id) ? loaders.beneficiary.load(id) : null),
    beneficiaries: async (_, { filter, first, after }, { disclosures, repos, viewer }, info) => {
      if (filter?.knownBy && !seesEveryLink(viewer) && filter.knownBy !== viewer.partner) {
        throw badInput(
          "filter.knownBy names your own partner: another partner's people are not listed",
          'filter.knownBy',
        );
      }
      const page = await repos.beneficiaries.page(viewer, filter ?? {}, pageSize(first), after);
      const fields = listedFields(info, filter, viewer);
      await Promise.all(
        page.nodes.flatMap((person) => fields.map((field) => disclosures.record(person, field))),
      );
      return page;
    },
    course: (_, { id }, { loaders }) => (isUuid(id) ? loaders.course.load(id) : null),
    courses: (_, { filter, first, after }, { repos }) => {
      if (filter?.from && filter.to && filter.from > filter.to) {
        throw badInput('filter.from must not be after filter.to', 'filter.from');
      }
      return repos.courses.page(filter ?? {}, pageSize(first), after);
    },
  },
  Partner: {
    __resolveReference: ({ id }, { loaders }) => loaders.partner.load(id),
    sites: (partner, _, { loaders }) => loaders.sitesByPartner.load(partner.id),
    referralResponseDeadlineDays: (partner) => partner.responseDeadlineDays,
  },
  Site: {
    __resolveReference: ({ id }, { loaders }) => (isUuid(id) ? loaders.site.load(id) : null),
    partner: (site, _, { loaders }) => required(loaders.partner.load(site.partnerId)),
  },
  Beneficiary: {
    __resolveReference: ({ id }, { loaders }) => (isUuid(id) ? loaders.beneficiary.load(id) : null),
    // The identity a viewer not linked to the person sees under a consent: logged before it leaves.
    ...Object.fromEntries(IDENTITY_FIELDS.map((field) => [field, identityField(field)])),
    // Other partners' links are shown to coordinators only: logged when shown.
    registeredBy: async (person, _, { disclosures, loaders, viewer }) => {
      if (seesEveryLink(viewer)) await disclosures.record(person, 'registeredBy');
      else if (person.registeredBy !== viewer.partner) return null;
      return required(loaders.partner.load(person.registeredBy));
    },
    knownBy: async (person, _, { disclosures, loaders, viewer }) => {
      if (!seesEveryLink(viewer)) {
        const links = await loaders.linksByBeneficiary.load(person.id);
        return links.filter((link) => link.partnerId === viewer.partner);
      }
      const [links] = await Promise.all([
        loaders.linksByBeneficiary.load(person.id),
        disclosures.record(person, 'knownBy'),
      ]);
      return links;
    },
  },
  PartnerLink: {
    partner: (link, _, { loaders }) => required(loaders.partner.load(link.partnerId)),
  },
  Course: {
    __resolveReference: ({ id }, { loaders }) => (isUuid(id) ? loaders.course.load(id) : null),
    partner: (course, _, { loaders }) => required(loaders.partner.load(course.partnerId)),
    site: (course, _, { loaders }) => (course.siteId ? loaders.site.load(course.siteId) : null),
  },
};

/**
 * Whether a viewer learns every partner that knows a person. Coordinators do, for the people
 * whose coordination consent shows them; a partner learns its own link only: that a person is
 * known to the women's network, say, is itself what a withheld facet keeps quiet.
 */
function seesEveryLink(viewer: Viewer): boolean {
  return viewer.role === 'coordinator';
}

/** A foreign key that must resolve: a missing row is a broken invariant, not a client error. */
export async function required<T>(row: Promise<T | null>): Promise<T> {
  const value = await row;
  if (value === null) throw new Error('dangling reference');
  return value;
}
