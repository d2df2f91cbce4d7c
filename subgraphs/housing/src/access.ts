// Who may see which housing rows: the one place that decides, for every facet, query and write.
// Whether a person's facet is disclosed at all is the network-wide rule of `decideFacet`
// (DESIGN.md §4.3); what this file adds is the agencies' own narrowing:
// - an agency's staff and partner admins see their own agency's rows of the person, its
//   volunteers (who hand devices out) the same agency's loans only; agencies never see each
//   other's rows;
// - a viewer disclosed the facet under consents sees the person's rows of the agencies that
//   recorded them, never the accompaniment category of a tenancy nor the household, and an
//   agency's contact channels only when its consent also covers `contact`;
// - community rooms and dwelling counts carry no personal data: public to every viewer.
import {
  decideFacet,
  facetWithheld,
  recordersOf,
  STAFF_ROLES,
  type AccessGrant,
  type Viewer,
} from '@passerelle/service';

/** The facet's data category, as consents name it. */
export const FACET = 'housing';

/** The data category a consent must also cover for contact channels to be disclosed. */
const CONTACT_CATEGORY = 'contact';

/** The kinds of agency rows reached outside a person's facet, each with its own audience. */
export type HousingCategory =
  /** The other members of a household, listed from a tenancy (personal data of other people). */
  | 'HOUSEHOLD'
  /** The lending stock of devices (no borrower in it). */
  | 'EQUIPMENT'
  /** Dwelling counts per building: agency data, no personal data. */
  | 'DWELLING'
  /** Community rooms: offered by the agencies to every partner of the network. */
  | 'COMMUNITY_ROOM';

/** The housing agency the viewer works for, when it is one this subgraph serves. */
export function viewerAgency(viewer: Viewer, servedAgencyIds: readonly string[]): string | null {
  return viewer.partner && servedAgencyIds.includes(viewer.partner) ? viewer.partner : null;
}

/** What a person's housing facet may show the viewer. */
export interface FacetView {
  /** The agencies whose rows of the person are shown. */
  agencies: readonly string[];
  /** Whether tenancies are shown. */
  tenancies: boolean;
  /** The agencies whose contact channels of the person are shown. */
  contactAgencies: readonly string[];
  /** Whether equipment loans are shown. */
  loans: boolean;
  /** Whether the accompaniment category of tenancies is shown. */
  accompaniment: boolean;
  /** The consents it is disclosed under, each logged before the data leaves; none for own rows. */
  disclosedUnder: readonly AccessGrant[];
}

/**
 * What a person's housing facet may show the viewer, given the consents network reported on
 * `Beneficiary.access`. Throws the `FORBIDDEN` withheld error when nothing allows it; it reads no
 * row about the person, so the answer is the same whether or not an agency knows them.
 */
export function facetView(
  viewer: Viewer,
  servedAgencyIds: readonly string[],
  grants: readonly AccessGrant[] | null | undefined,
): FacetView {
  const decision = decideFacet({
    viewer,
    servedPartners: servedAgencyIds,
    category: FACET,
    grants,
  });
  switch (decision.kind) {
    case 'own':
      return decision.narrow
        ? {
            agencies: [decision.partner],
            tenancies: false,
            contactAgencies: [],
            loans: true,
            accompaniment: false,
            disclosedUnder: [],
          }
        : {
            agencies: [decision.partner],
            tenancies: true,
            contactAgencies: [decision.partner],
            loans: true,
            accompaniment: true,
            disclosedUnder: [],
          };
    case 'consent':
      return {
        agencies: recordersOf(decision.grants),
        tenancies: true,
        contactAgencies: recordersOf(
          decision.grants.filter((grant) => grant.categories.includes(CONTACT_CATEGORY)),
        ),
        loans: true,
        accompaniment: false,
        disclosedUnder: decision.grants,
      };
    case 'withheld':
      throw facetWithheld(FACET);
  }
}

/**
 * The agencies whose rows of a category the viewer may see outside a person's facet; an empty
 * list means none. Households are listed for an agency's own staff only; the lending stock for
 * its staff and volunteers; dwelling counts and community rooms for everyone.
 */
export function visibleAgencies(
  viewer: Viewer,
  servedAgencyIds: readonly string[],
  category: HousingCategory,
): string[] {
  const own = viewerAgency(viewer, servedAgencyIds);
  switch (category) {
    case 'COMMUNITY_ROOM':
      return [...servedAgencyIds];
    case 'DWELLING':
      return own ? [own] : [...servedAgencyIds];
    case 'HOUSEHOLD':
      return own && STAFF_ROLES.has(viewer.role) ? [own] : [];
    case 'EQUIPMENT':
      return own && (STAFF_ROLES.has(viewer.role) || viewer.role === 'volunteer') ? [own] : [];
  }
}

/**
 * The agency a viewer may write for, and whose disclosure log they may read: staff and partner
 * admins of a served agency only.
 */
export function writableAgency(viewer: Viewer, servedAgencyIds: readonly string[]): string | null {
  const own = viewerAgency(viewer, servedAgencyIds);
  return own && STAFF_ROLES.has(viewer.role) ? own : null;
}
