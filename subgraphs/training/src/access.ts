// Who may see which training rows: the one place that decides, for the person facet, the
// Enrollment entity, the people listed on a course, the disclosure log and the writes. The facet rule is the
// network's shared one (`decideFacet`, DESIGN.md §4.3); this module says what each decision shows
// in the training domain. Everything not allowed here is withheld: fail closed.
import {
  decideFacet,
  recordersOf,
  facetWithheld,
  STAFF_ROLES,
  z,
  type AccessGrant,
  type Viewer,
} from '@passerelle/service';

/** The facet's data category, as consents name it. */
export const TRAINING_CATEGORY = 'training';

const grantsSchema = z.array(
  z.object({
    consentId: z.string(),
    partner: z.string().nullable(),
    categories: z.array(z.string()),
    purpose: z.string(),
    recordedBy: z.string(),
  }),
);

/**
 * The grants network sent on the representation (`Beneficiary.access`). Anything missing or
 * malformed counts as no consent at all.
 */
export function grantsFrom(access: unknown): AccessGrant[] {
  const parsed = grantsSchema.safeParse(access);
  return parsed.success ? parsed.data : [];
}

/** What a viewer sees of one person's training records. */
export interface PersonView {
  /** The training partners whose enrollments, attendance and assessments are shown. */
  partners: ReadonlySet<string>;
  /** Whether DigComp assessments are shown: not to volunteers, who help at sessions only. */
  assessments: boolean;
  /** The consents that disclose the records to another partner; record them before showing them. */
  grants: readonly AccessGrant[];
}

/**
 * Decides, before any row is read, what the viewer sees of a person's training records, and
 * throws the FORBIDDEN `facetWithheld` error when nothing may be shown.
 * - A served training partner's staff and partner admins: their own partner's records.
 * - Its volunteers: their own partner's enrollments and attendance, no assessments.
 * - Another partner's staff under a live REFERRAL or FOLLOW_UP consent naming their partner and
 *   the `training` category, or a coordinator under a COORDINATION consent, recorded by a training
 *   partner this subgraph serves: that partner's records, to be logged as a disclosure.
 * - Anyone else: withheld.
 */
export function personView(
  viewer: Viewer,
  servedPartners: readonly string[],
  grants: readonly AccessGrant[],
): PersonView {
  const decision = decideFacet({ viewer, servedPartners, category: TRAINING_CATEGORY, grants });
  switch (decision.kind) {
    case 'own':
      return { partners: new Set([decision.partner]), assessments: !decision.narrow, grants: [] };
    case 'consent':
      return {
        partners: new Set(recordersOf(decision.grants)),
        assessments: true,
        grants: decision.grants,
      };
    case 'withheld':
      throw facetWithheld(TRAINING_CATEGORY);
  }
}

/**
 * The served training partner whose staff or partner admin the viewer is, or null. Only they see
 * the people enrolled in their courses (lists and the Enrollment entity), read the disclosure
 * log and write.
 */
export function staffPartner(viewer: Viewer, servedPartners: readonly string[]): string | null {
  return viewer.partner && servedPartners.includes(viewer.partner) && STAFF_ROLES.has(viewer.role)
    ? viewer.partner
    : null;
}

/** Whether the viewer sees the people enrolled in a course run by this training partner. */
export function seesPeopleOf(
  viewer: Viewer,
  servedPartners: readonly string[],
  partnerId: string,
): boolean {
  return staffPartner(viewer, servedPartners) === partnerId;
}

/** The served training partner for which the viewer records attendance: staff and volunteers. */
export function attendanceRecorder(
  viewer: Viewer,
  servedPartners: readonly string[],
): string | null {
  if (viewer.role === 'volunteer' && viewer.partner && servedPartners.includes(viewer.partner)) {
    return viewer.partner;
  }
  return staffPartner(viewer, servedPartners);
}

const PARTNER_ROLES: ReadonlySet<string> = new Set(['staff', 'partner_admin', 'volunteer']);

/**
 * Whether the viewer may see which courses are full: coordinators, and the staff, partner admins
 * and volunteers of any partner. The answer names courses and counts seats, never people.
 */
export function seesCourseFill(viewer: Viewer): boolean {
  return (
    viewer.role === 'coordinator' || (viewer.partner !== null && PARTNER_ROLES.has(viewer.role))
  );
}
