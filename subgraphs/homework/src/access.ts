// Who may see and write what in the homework subgraph. Every facet resolver asks
// `visibleSchools`, every mutation asks `writerSchool`; consent-gated disclosure (DESIGN §4.3)
// will replace the facet rule here, and nowhere else.
import type { Viewer } from '@passerelle/service';

/**
 * The schools whose rows a viewer may see in a facet. Staff of a served school see only their
 * own school's rows; other viewers see the served schools' rows (until consent-gated disclosure
 * lands); a beneficiary account sees nothing (their own access export comes with GDPR rights).
 */
export function visibleSchools(
  viewer: Viewer,
  servedSchoolIds: readonly string[],
): ReadonlySet<string> {
  if (viewer.role === 'beneficiary') return new Set();
  if (viewer.partner && servedSchoolIds.includes(viewer.partner)) return new Set([viewer.partner]);
  return new Set(servedSchoolIds);
}

const WRITER_ROLES: readonly Viewer['role'][] = ['staff', 'partner_admin'];

/** The school a viewer writes for: their partner when it is a served school and their role may write. */
export function writerSchool(viewer: Viewer, servedSchoolIds: readonly string[]): string | null {
  if (!viewer.partner || !WRITER_ROLES.includes(viewer.role)) return null;
  return servedSchoolIds.includes(viewer.partner) ? viewer.partner : null;
}
