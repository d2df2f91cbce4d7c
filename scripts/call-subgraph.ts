// `pnpm -s call-subgraph --subgraph <name> [--url <url>] --partner <id> --role <role> --query '<op>'
// [--variables '<json>']`: sends one operation straight to a subgraph, signed as the gateway
// would sign it (development keys under SECRETS_DIR or .data/). For debugging a subgraph alone.
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  deriveKey,
  encodeViewer,
  loadSecret,
  REQUEST_ID_HEADER,
  repositoryRoot,
  SIGNATURE_HEADER,
  signRequest,
  VIEWER_HEADER,
  VOUCHER_HEADER,
  vouchForViewer,
  viewerSchema,
} from '@passerelle/service';

const { values } = parseArgs({
  options: {
    subgraph: { type: 'string' },
    url: { type: 'string' },
    partner: { type: 'string' },
    role: { type: 'string', default: 'staff' },
    sub: { type: 'string', default: 'developer:cli' },
    query: { type: 'string' },
    variables: { type: 'string', default: '{}' },
  },
});
if (!values.subgraph || !values.query) {
  console.error(
    'Usage: pnpm -s call-subgraph --subgraph <name> --query <operation> [--url <url>] [--partner <id>] [--role <role>]',
  );
  process.exit(2);
}
const viewer = encodeViewer(
  viewerSchema.parse({ sub: values.sub, partner: values.partner ?? null, role: values.role }),
);
const body = JSON.stringify({
  query: values.query,
  variables: JSON.parse(values.variables) as unknown,
});
const requestId = `cli-${Date.now()}`;
const master = loadSecret(
  'dev-signing-secret',
  undefined,
  process.env['SECRETS_DIR'] ?? path.join(repositoryRoot, '.data'),
);
const signature = signRequest(deriveKey(master, 'gateway', values.subgraph), {
  signer: 'gateway',
  audience: values.subgraph,
  viewer,
  requestId,
  body,
});
const response = await fetch(values.url ?? 'http://127.0.0.1:4001/graphql', {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    [VIEWER_HEADER]: viewer,
    [REQUEST_ID_HEADER]: requestId,
    [SIGNATURE_HEADER]: signature,
    // A partner subgraph hands it on to network with its write checks, as from the gateway.
    ...(values.subgraph === 'network'
      ? {}
      : {
          [VOUCHER_HEADER]: vouchForViewer(deriveKey(master, 'gateway', 'network'), {
            viewer,
            requestId,
          }),
        }),
  },
  body,
});
console.log(JSON.stringify(await response.json(), null, 2));
