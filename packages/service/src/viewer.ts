// Who is asking. The gateway asserts the viewer to each subgraph in one header; subgraphs read it
// into the request context and every rule decides from it.
import { z } from 'zod';

export const VIEWER_HEADER = 'x-passerelle-viewer';
export const REQUEST_ID_HEADER = 'x-request-id';

export const roles = [
  'staff',
  'partner_admin',
  'volunteer',
  'coordinator',
  'beneficiary',
  'service',
] as const;
export type Role = (typeof roles)[number];

/** The roles that act for their partner in full: its staff and partner admins. */
export const STAFF_ROLES: ReadonlySet<Role> = new Set(['staff', 'partner_admin']);

export const viewerSchema = z.object({
  sub: z.string().min(1).max(200),
  partner: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,62}$/)
    .nullable(),
  role: z.enum(roles),
  secrecy: z.boolean().optional(),
});

export type Viewer = z.infer<typeof viewerSchema>;

export function encodeViewer(viewer: Viewer): string {
  return Buffer.from(JSON.stringify(viewer), 'utf8').toString('base64url');
}

/** Decodes the viewer header, or returns null when it is missing or malformed. */
export function decodeViewer(header: string | undefined): Viewer | null {
  if (!header) return null;
  try {
    const parsed = viewerSchema.safeParse(
      JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
