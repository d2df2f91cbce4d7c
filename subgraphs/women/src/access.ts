// Who may see and change what in this subgraph: the one place that decides. Consent-gated
// disclosure (DESIGN.md §4) will replace `facetAccess` without touching the resolvers.
import type { Context } from './context.ts';

/** Roles of a network's own staff, the only ones that write and see safe-contact preferences. */
const STAFF_ROLES: readonly string[] = ['staff', 'partner_admin'];

export interface FacetAccess {
  /** Whether the viewer may see this network's workshops and participations. */
  seesRowsOf(networkId: string): boolean;
  /**
   * The network whose safe-contact preferences the viewer may see: only when the viewer is staff
   * of that network itself. Null for everyone else, without exception.
   */
  safeContactNetwork: string | null;
}

/**
 * What a facet may show the viewer. Every row here belongs to a network this subgraph serves.
 * A viewer from one of those networks sees only her own network's rows; other viewers see the
 * served networks' workshops and participations (for now, until consents gate them), and never
 * safe-contact preferences.
 */
export async function facetAccess(ctx: Context): Promise<FacetAccess> {
  const partner = ctx.viewer.partner;
  const own = partner ? await ctx.loaders.servedNetwork.load(partner) : null;
  if (!own) return { seesRowsOf: () => true, safeContactNetwork: null };
  return {
    seesRowsOf: (networkId) => networkId === own.partnerId,
    safeContactNetwork: STAFF_ROLES.includes(ctx.viewer.role) ? own.partnerId : null,
  };
}

/** The served network the viewer may write for (as its staff or admin), or null. */
export async function writerNetwork(ctx: Context): Promise<string | null> {
  const partner = ctx.viewer.partner;
  if (!partner || !STAFF_ROLES.includes(ctx.viewer.role)) return null;
  const own = await ctx.loaders.servedNetwork.load(partner);
  return own?.partnerId ?? null;
}
