// A small GraphQL-over-HTTP client for tests, and tokens signed like the gateway expects.
import {
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER,
  issueToken,
  type DevTokenSettings,
} from '@passerelle/auth';
import type { Role } from '@passerelle/service';

export interface GraphQLResponse<TData = Record<string, any>> {
  status: number;
  headers: Headers;
  data?: TData;
  errors?: {
    message: string;
    path?: (string | number)[];
    extensions?: { code?: string } & Record<string, unknown>;
  }[];
}

export async function postGraphQL<TData = Record<string, any>>(
  url: string,
  body: { query: string; variables?: Record<string, unknown>; operationName?: string },
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Omit<GraphQLResponse<TData>, 'status' | 'headers'>;
  return { status: response.status, headers: response.headers, ...json };
}

export function tokenSettings(secret: string): DevTokenSettings {
  return {
    secret: new TextEncoder().encode(secret),
    issuer: DEFAULT_ISSUER,
    audience: DEFAULT_AUDIENCE,
  };
}

export interface TestViewer {
  partner: string | null;
  role: Role;
  sub?: string;
  secrecy?: boolean;
}

/** A token for `viewer`, signed with `settings`. */
export function tokenFor(settings: DevTokenSettings, viewer: TestViewer): Promise<string> {
  return issueToken(
    {
      sub: viewer.sub ?? `${viewer.role}:test@${viewer.partner ?? 'passerelle'}`,
      partner: viewer.partner,
      role: viewer.role,
      secrecy: viewer.secrecy,
    },
    settings,
  );
}
