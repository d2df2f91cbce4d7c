// Who may see and write what in the homework subgraph: the one place that decides. Whether a
// person's facet is disclosed at all is the network-wide rule of `decideFacet` (DESIGN.md §4.3);
// what this file adds is the schools' own narrowing, because children are minors:
// - a school's staff and partner admins see their own school's rows of the person: pupil records
//   with the guardian link and the guardian's consent, admin-help visits, tutor records;
// - its volunteers (teenage tutors) see the same school's pupil records only: grade, club
//   memberships and presence, never the guardian link nor the consent, no adult's visits, no tutor;
// - a viewer disclosed the facet under consents sees the pupil records (grade, guardian relation,
//   club memberships and presence rate) and admin-help visits of the schools that recorded them,
//   never the guardian link, the guardian's consent, the session-by-session presence nor any tutor;
// - tutors are teenage volunteers: only the staff and partner admins of their own school ever see
//   them, wherever they appear (a person's facet, a session's tutor);
// - the clubs' and admin-help courses' figures (slots, counts, upcoming sessions) carry no
//   personal data: public to every authenticated viewer.
import {
  decideFacet,
  facetWithheld,
  recordersOf,
  STAFF_ROLES,
  type AccessGrant,
  type Viewer,
} from '@passerelle/service';

/** The facet's data category, as consents name it. */
export const FACET = 'homework';

/** What a person's homework facet may show the viewer. */
export interface FacetView {
  /** The schools whose rows of the person are shown. */
  schools: readonly string[];
  /** How pupil records are shown; null when they are not. */
  pupils: PupilView | null;
  /** Whether admin-help visits are shown. */
  adminHelpVisits: boolean;
  /** Whether tutor records are shown. */
  tutors: boolean;
  /** The consents it is disclosed under, each logged before the data leaves; none for own rows. */
  disclosedUnder: readonly AccessGrant[];
}

/** How much of a pupil record is shown. */
export interface PupilView {
  /** The guardian's network link and the guardian's consent to the enrollment. */
  guardian: boolean;
  /** Session-by-session presence (the presence rate is always shown with the memberships). */
  presenceDetail: boolean;
}

/** A pupil record as its school's own staff see it (mutations return it to them). */
export const FULL_PUPIL_VIEW: PupilView = { guardian: true, presenceDetail: true };

/**
 * What a person's homework facet may show the viewer, given the consents network reported on
 * `Beneficiary.access`. Throws the `FORBIDDEN` withheld error when nothing allows it; it reads no
 * row about the person, so the answer is the same whether or not a school knows them.
 */
export function facetView(
  viewer: Viewer,
  servedSchoolIds: readonly string[],
  grants: readonly AccessGrant[] | null | undefined,
): FacetView {
  const decision = decideFacet({
    viewer,
    servedPartners: servedSchoolIds,
    category: FACET,
    grants,
  });
  switch (decision.kind) {
    case 'own':
      return decision.narrow
        ? {
            schools: [decision.partner],
            pupils: { guardian: false, presenceDetail: true },
            adminHelpVisits: false,
            tutors: false,
            disclosedUnder: [],
          }
        : {
            schools: [decision.partner],
            pupils: FULL_PUPIL_VIEW,
            adminHelpVisits: true,
            tutors: true,
            disclosedUnder: [],
          };
    case 'consent':
      return {
        schools: recordersOf(decision.grants),
        pupils: { guardian: false, presenceDetail: false },
        adminHelpVisits: true,
        tutors: false,
        disclosedUnder: decision.grants,
      };
    case 'withheld':
      throw facetWithheld(FACET);
  }
}

/**
 * The school whose own staff the viewer is: staff and partner admins of a served school. They
 * write for it, see its tutors and read what the subgraph disclosed; null for anyone else.
 */
export function writerSchool(viewer: Viewer, servedSchoolIds: readonly string[]): string | null {
  if (!viewer.partner || !STAFF_ROLES.has(viewer.role)) return null;
  return servedSchoolIds.includes(viewer.partner) ? viewer.partner : null;
}

/** Whether the viewer may see a tutor of this school: its own staff and partner admins only. */
export function maySeeTutor(
  viewer: Viewer,
  servedSchoolIds: readonly string[],
  tutorSchoolId: string,
): boolean {
  return writerSchool(viewer, servedSchoolIds) === tutorSchoolId;
}
