// Who may see and change what in the helpdesk subgraph: the one place that decides. Whether a
// person's facet is disclosed at all is the network-wide rule of `decideFacet` (DESIGN.md §4.3):
// - a help desk's staff and partner admins see the visits their own help desk linked to the
//   person, with notes;
// - its volunteers — the public IT helpers who run most drop-in sessions — see the same visits
//   without notes: what the person came with before, not what the staff wrote about them;
// - another help desk sees none of them, even under a consent: `decideFacet` answers `own` for
//   every served partner, and help desks do not learn about each other's visitors;
// - another partner's staff, or a coordinator, see the linked visits of a help desk only under a
//   live consent covering `helpdesk` that this help desk recorded, without notes, and each
//   disclosure is logged;
// - a help desk's staff, partner admins and volunteers record visits (volunteers without notes);
// - drop-in sessions carry no personal data: every authenticated viewer sees them; the visit
//   counts of a site (no person, no day) go to the people who plan with them: coordinators, every
//   partner's staff and partner admins, and the help desks' own volunteers.
import {
  decideFacet,
  ErrorCode,
  facetWithheld,
  recordersOf,
  PublicError,
  STAFF_ROLES,
  type AccessGrant,
} from '@passerelle/service';
import type { Context } from './context.ts';

/** The facet's data category, as consents name it. */
export const FACET = 'helpdesk';

export interface FacetView {
  /** The help desks whose visits of the person are shown (filtered in SQL). */
  helpDesks: readonly string[];
  /** Whether notes (for the help desk's own staff only) are shown. */
  seesNotes: boolean;
  /** The consents the facet is disclosed under; none for the help desk's own viewers. */
  disclosedUnder: readonly AccessGrant[];
}

/**
 * What the facet may show the viewer, given the consents network sent on `Beneficiary.access`.
 * Throws the `FORBIDDEN` withheld error when nothing allows it, before any row is read.
 */
export async function facetView(
  ctx: Context,
  grants: readonly AccessGrant[] | null | undefined,
): Promise<FacetView> {
  const servedPartners = await ctx.servedPartners();
  const decision = decideFacet({ viewer: ctx.viewer, servedPartners, category: FACET, grants });
  switch (decision.kind) {
    case 'own':
      return { helpDesks: [decision.partner], seesNotes: !decision.narrow, disclosedUnder: [] };
    case 'consent':
      return {
        helpDesks: recordersOf(decision.grants),
        seesNotes: false,
        disclosedUnder: decision.grants,
      };
    case 'withheld':
      throw facetWithheld(FACET);
  }
}

/** The served help desk the viewer works for as staff or partner admin, or null. */
export async function staffPartner(ctx: Context): Promise<string | null> {
  const partner = ctx.viewer.partner;
  if (!partner || !STAFF_ROLES.has(ctx.viewer.role)) return null;
  return (await ctx.servedPartners()).includes(partner) ? partner : null;
}

/** Who records a visit: the help desk, and whether the recorder may write notes. */
export interface VisitRecorder {
  partnerId: string;
  writesNotes: boolean;
}

/** The help desk a viewer records visits for: its staff, partner admins and volunteers. */
export async function visitRecorder(ctx: Context): Promise<VisitRecorder | null> {
  const { partner, role } = ctx.viewer;
  if (!partner || !(STAFF_ROLES.has(role) || role === 'volunteer')) return null;
  if (!(await ctx.servedPartners()).includes(partner)) return null;
  return { partnerId: partner, writesNotes: role !== 'volunteer' };
}

/** Visit counts: coordinators, any partner's staff and partner admins, help-desk volunteers. */
export async function assertSeesVisitCounts(ctx: Context): Promise<void> {
  const { partner, role } = ctx.viewer;
  if (role === 'coordinator' || (partner && STAFF_ROLES.has(role))) return;
  if (role === 'volunteer' && partner && (await ctx.servedPartners()).includes(partner)) {
    return;
  }
  throw new PublicError(
    ErrorCode.Forbidden,
    'Visit counts are for coordinators, partner staff and the help desks’ volunteers',
  );
}

/** The disclosure log is read by the help desks' own staff and partner admins only. */
export async function assertReadsDisclosures(ctx: Context): Promise<string> {
  const partner = await staffPartner(ctx);
  if (!partner) {
    throw new PublicError(
      ErrorCode.Forbidden,
      'Only the staff of a public digital help desk may read what the help desks disclosed',
    );
  }
  return partner;
}
