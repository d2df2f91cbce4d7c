// Who may see which housing rows: the one place that decides, for every facet, query and write.
// Consent-gated disclosure to other partners (DESIGN §4.3) will replace the "own agency only"
// rule for personal rows here, and nowhere else.
import type { Viewer } from '@passerelle/service';

/** The kinds of housing rows, each with its own audience. */
export type HousingCategory =
  /** Tenancies and households, including the accompaniment category (sensitive). */
  | 'TENANCY'
  /** Phone numbers and e-mail addresses of the tenant-relations CRM. */
  | 'CONTACT'
  /** Devices lent to people and the lending stock. */
  | 'EQUIPMENT'
  /** Dwelling counts per building: agency data, no personal data. */
  | 'DWELLING'
  /** Community rooms: offered by the agencies to every partner of the network. */
  | 'COMMUNITY_ROOM';

const STAFF_ROLES: ReadonlySet<string> = new Set(['staff', 'partner_admin']);

/** The housing agency the viewer works for, when it is one this subgraph serves. */
export function viewerAgency(viewer: Viewer, servedAgencyIds: readonly string[]): string | null {
  return viewer.partner && servedAgencyIds.includes(viewer.partner) ? viewer.partner : null;
}

/**
 * The agencies whose rows of this category the viewer may see; an empty list means none.
 * Personal rows (tenancies, contacts, loans) belong to one agency and are seen by that agency
 * only: its staff see everything, its volunteers (who hand devices out) see loans only. Other
 * partners, coordinators and beneficiaries see no personal row until consent-gated disclosure
 * exists (fail closed).
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
    case 'TENANCY':
    case 'CONTACT':
      return own && STAFF_ROLES.has(viewer.role) ? [own] : [];
    case 'EQUIPMENT':
      return own && (STAFF_ROLES.has(viewer.role) || viewer.role === 'volunteer') ? [own] : [];
  }
}

/** The agency a viewer may write for: staff and partner admins of a served agency only. */
export function writableAgency(viewer: Viewer, servedAgencyIds: readonly string[]): string | null {
  const own = viewerAgency(viewer, servedAgencyIds);
  return own && STAFF_ROLES.has(viewer.role) ? own : null;
}
