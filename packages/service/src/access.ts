// The one rule every partner subgraph applies before it discloses a facet (DESIGN.md §4.3):
// a partner's own staff see their own rows; another partner sees them only under a live consent
// of the person naming that partner, the facet's data category and an accepted purpose;
// coordinators only under a coordination consent. The consent must have been recorded by a
// partner whose rows the facet holds: a partner cannot open another's data on its own word.
// Everything else is withheld — fail closed.
import { ErrorCode, PublicError } from './errors.ts';
import { STAFF_ROLES, type Viewer } from './viewer.ts';

/**
 * A live consent as network reports it on `Beneficiary.access`, for the calling viewer only:
 * recipient partner, data categories (facet names, `identity`, `contact`), purpose, and the
 * partner that recorded it.
 */
export interface AccessGrant {
  consentId: string;
  partner: string | null;
  categories: readonly string[];
  purpose: string;
  recordedBy: string;
}

export const consentPurposes = ['REFERRAL', 'FOLLOW_UP', 'COORDINATION'] as const;
export type ConsentPurpose = (typeof consentPurposes)[number];

export type FacetDecision =
  /** The viewer's own partner holds the rows: show that partner's rows, no disclosure. */
  | { kind: 'own'; partner: string; narrow: boolean }
  /**
   * Disclosed under consents recorded by served partners (`recordedBy`): show each of those
   * partners' rows, and record a disclosure under each consent.
   */
  | { kind: 'consent'; grants: readonly AccessGrant[] }
  | { kind: 'withheld' };

export interface FacetRequest {
  viewer: Viewer;
  /** Partners whose data this subgraph holds (for housing, every agency it serves). */
  servedPartners: readonly string[];
  /** The facet's data category, for example `housing`. */
  category: string;
  /** What network reported on `Beneficiary.access`; undefined counts as no consent. */
  grants: readonly AccessGrant[] | null | undefined;
}

export function decideFacet({
  viewer,
  servedPartners,
  category,
  grants,
}: FacetRequest): FacetDecision {
  const own = viewer.partner && servedPartners.includes(viewer.partner) ? viewer.partner : null;
  if (own && STAFF_ROLES.has(viewer.role)) return { kind: 'own', partner: own, narrow: false };
  if (own && viewer.role === 'volunteer') return { kind: 'own', partner: own, narrow: true };

  const matching = (grants ?? []).filter((candidate) => {
    if (!candidate.categories.includes(category)) return false;
    if (!servedPartners.includes(candidate.recordedBy)) return false;
    if (viewer.role === 'coordinator') return candidate.purpose === 'COORDINATION';
    return (
      STAFF_ROLES.has(viewer.role) &&
      viewer.partner !== null &&
      candidate.partner === viewer.partner &&
      (candidate.purpose === 'REFERRAL' || candidate.purpose === 'FOLLOW_UP')
    );
  });
  return matching.length ? { kind: 'consent', grants: matching } : { kind: 'withheld' };
}

/** The partners whose rows a consent decision shows: those that recorded its consents. */
export const recordersOf = (grants: readonly AccessGrant[]): string[] => [
  ...new Set(grants.map((grant) => grant.recordedBy)),
];

/**
 * The error a withheld facet carries. It reads the same whether or not the partner holds
 * anything about the person, so it cannot be used to probe.
 */
export function facetWithheld(category: string): PublicError {
  return new PublicError(
    ErrorCode.Forbidden,
    `The ${category} facet is not disclosed to you: no live consent of this person covers it`,
    { reason: 'NO_CONSENT', facet: category },
  );
}
