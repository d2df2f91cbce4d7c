// Who may see and change what in this subgraph: the one place that decides. Whether a woman's
// facet is disclosed at all is the network-wide rule of `decideFacet` (DESIGN.md §4.3); what this
// file adds is the women's networks' own narrowing:
// - a network's staff and partner admins see their network's participations and safe-contact
//   preferences; its volunteers the participations only;
// - a viewer disclosed the facet under consents sees the participations of the networks that
//   recorded them, never a safe-contact preference, whatever the consent covers;
// - workshops (`Course.women`) carry offer details and head counts only, public to every
//   authenticated viewer: no list of women hangs off a workshop, and `WomenParticipation` has no
//   key, so a woman's participations are reached through her own facet alone;
// - the list of workshops without places left is head counts only, for coordinators and for the
//   staff of every partner (who refer women to workshops), never for volunteers or people.
import {
  decideFacet,
  ErrorCode,
  facetWithheld,
  PublicError,
  STAFF_ROLES,
  type AccessGrant,
} from '@passerelle/service';
import type { Context } from './context.ts';

/** The facet's data category, as consents name it. */
export const FACET = 'women';

export interface FacetView {
  /** Whether the viewer may see this network's participations. */
  seesRowsOf(networkId: string): boolean;
  /**
   * The network whose safe-contact preferences the viewer may see: only when the viewer is staff
   * or admin of that network itself. Null for everyone else, without exception.
   */
  safeContactNetwork: string | null;
  /** The consents it is disclosed under, each logged before the data leaves; none for own rows. */
  disclosedUnder: readonly AccessGrant[];
}

/**
 * What a woman's facet may show the viewer, given the consents network reported on
 * `Beneficiary.access`. Throws the `FORBIDDEN` withheld error when nothing allows it; it reads no
 * row about the person, so the answer is the same whether or not a network knows her.
 */
export async function facetView(
  ctx: Context,
  grants: readonly AccessGrant[] | null | undefined,
): Promise<FacetView> {
  const servedPartners = await ctx.servedPartners();
  const decision = decideFacet({ viewer: ctx.viewer, servedPartners, category: FACET, grants });
  switch (decision.kind) {
    case 'own':
      return {
        seesRowsOf: (networkId) => networkId === decision.partner,
        safeContactNetwork: decision.narrow ? null : decision.partner,
        disclosedUnder: [],
      };
    case 'consent':
      return {
        seesRowsOf: (networkId) => decision.grants.some((grant) => grant.recordedBy === networkId),
        safeContactNetwork: null,
        disclosedUnder: decision.grants,
      };
    case 'withheld':
      throw facetWithheld(FACET);
  }
}

/** The served network the viewer works for as staff or admin, or null. */
async function staffNetwork(ctx: Context): Promise<string | null> {
  const partner = ctx.viewer.partner;
  if (!partner || !STAFF_ROLES.has(ctx.viewer.role)) return null;
  return (await ctx.servedPartners()).includes(partner) ? partner : null;
}

/** The served network the viewer may write for (as its staff or admin), or null. */
export const writerNetwork = staffNetwork;

/**
 * The disclosure log is read by the served networks' own staff and partner admins only: returns
 * the viewer's network; anyone else gets a `FORBIDDEN` error.
 */
export async function assertReadsDisclosures(ctx: Context): Promise<string> {
  const network = await staffNetwork(ctx);
  if (!network) {
    throw new PublicError(
      ErrorCode.Forbidden,
      "Only the staff of a women's network may read what it disclosed",
    );
  }
  return network;
}

/**
 * Which workshops have no place left is read by coordinators and by the staff and partner admins
 * of every partner; anyone else gets a `FORBIDDEN` error.
 */
export function assertReadsWorkshopOccupancy(ctx: Context): void {
  const { role, partner } = ctx.viewer;
  if (role === 'coordinator' || (partner && STAFF_ROLES.has(role))) return;
  throw new PublicError(
    ErrorCode.Forbidden,
    'Only coordinators and partner staff may see which workshops are full',
  );
}
