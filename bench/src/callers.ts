// Who the load generator is: a partner app with a bearer token per viewer (through a gateway),
// or the gateway itself signing each request straight to a subgraph (a fresh nonce every time,
// as subgraphs refuse a replayed signature).
import { randomUUID } from 'node:crypto';
import {
  deriveKey,
  encodeViewer,
  loadSecret,
  REQUEST_ID_HEADER,
  SIGNATURE_HEADER,
  signRequest,
  VIEWER_HEADER,
  viewerSchema,
} from '@passerelle/service';
import { tokenFor, tokenSettings, type TestViewer } from '@passerelle/testkit';
import type { GraphQLCall, Step } from './operations.ts';

const viewerKey = (viewer: TestViewer) =>
  `${viewer.role}|${viewer.partner ?? ''}|${viewer.sub ?? ''}`;

/** Bearer tokens for every viewer the steps send as, issued once before the run. */
export async function bearerHeaders(
  jwtSecret: string,
  steps: readonly Step[],
  turns = 400,
): Promise<(call: GraphQLCall) => Record<string, string>> {
  const settings = tokenSettings(jwtSecret);
  const tokens = new Map<string, string>();
  for (const step of steps) {
    for (let turn = 0; turn < turns; turn += 1) {
      const { viewer } = step.call({}, turn);
      const key = viewerKey(viewer);
      if (!tokens.has(key)) tokens.set(key, await tokenFor(settings, viewer));
    }
  }
  return (call) => {
    const token = tokens.get(viewerKey(call.viewer));
    if (!token) throw new Error(`no token issued for ${viewerKey(call.viewer)}`);
    return { authorization: `Bearer ${token}` };
  };
}

/** Headers signed as the gateway signs its requests to `subgraph`. */
export function gatewaySignature(
  secretsDir: string,
  subgraph: string,
): (call: GraphQLCall, body: string) => Record<string, string> {
  const key = deriveKey(
    loadSecret('dev-signing-secret', undefined, secretsDir),
    'gateway',
    subgraph,
  );
  return (call, body) => {
    const viewer = encodeViewer(
      viewerSchema.parse({
        sub: call.viewer.sub,
        partner: call.viewer.partner,
        role: call.viewer.role,
      }),
    );
    const requestId = randomUUID();
    return {
      [VIEWER_HEADER]: viewer,
      [REQUEST_ID_HEADER]: requestId,
      [SIGNATURE_HEADER]: signRequest(key, {
        signer: 'gateway',
        audience: subgraph,
        viewer,
        requestId,
        body,
      }),
    };
  };
}
