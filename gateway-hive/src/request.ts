// What the Hive engine's front checks of a request before GraphQL runs, as the Apollo gateway's
// front does (packages/service/src/http.ts and gateway/src/gateway.ts): a bounded JSON body in
// UTF-8, its GraphQL parameters, well-formed text and CSRF prevention (the bearer token is read by
// `VerifiedTokens`, as in the Apollo gateway); and the request the engine is given, which carries
// no header it does not need.
import type { IncomingMessage } from 'node:http';
import { HttpRefusal } from '@passerelle/service';

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw new HttpRefusal(413, 'PAYLOAD_TOO_LARGE', 'Request body is too large');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpRefusal(413, 'PAYLOAD_TOO_LARGE', 'Request body is too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The JSON body of a POST: `application/json` in UTF-8 only, as the Apollo front accepts. */
export function parseBody(req: IncomingMessage, raw: Buffer): unknown {
  if (req.method !== 'POST') return undefined;
  const [mediaType = '', ...parameters] = (req.headers['content-type'] ?? '').split(';');
  const charset = parameters
    .map((parameter) => parameter.trim().toLowerCase())
    .find((parameter) => parameter.startsWith('charset='))
    ?.slice('charset='.length)
    .replaceAll('"', '');
  if (
    mediaType.trim().toLowerCase() !== 'application/json' ||
    (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
  ) {
    throw new HttpRefusal(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Send GraphQL requests as application/json (UTF-8)',
    );
  }
  if (raw.length === 0) throw new HttpRefusal(400, 'BAD_REQUEST', 'Request body is empty');
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new HttpRefusal(400, 'BAD_REQUEST', 'Request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpRefusal(400, 'BAD_REQUEST', 'Request body is not valid JSON');
  }
}

/** The GraphQL parameters of a request: from its JSON body, or from the URL of a GET. */
export function requestParameters(body: unknown, url: URL) {
  if (body && typeof body === 'object') {
    const { query, variables, operationName } = body as Record<string, unknown>;
    return { query, variables, operationName };
  }
  let variables: unknown;
  try {
    variables = JSON.parse(url.searchParams.get('variables') ?? 'null');
  } catch {
    // The engine reports variables that are not JSON.
  }
  return {
    query: url.searchParams.get('query') ?? undefined,
    variables,
    operationName: url.searchParams.get('operationName') ?? undefined,
  };
}

const LONE_SURROGATE = /\p{Cs}/u;

/** Whether any text in `value` is not valid Unicode (half of a surrogate pair, JSON-escaped). */
export function hasIllFormedText(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return true;
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        if (LONE_SURROGATE.test(key)) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

const SIMPLE_CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
];
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];

/**
 * Apollo Server's CSRF prevention: a request a browser may send without a CORS preflight (a GET,
 * or a simple content type) must carry a non-empty preflight header.
 */
export function preventCsrf(req: IncomingMessage): void {
  const type = req.headers['content-type'];
  if (type !== undefined) {
    const essence = type.split(';')[0]?.trim().toLowerCase() ?? '';
    if (!SIMPLE_CONTENT_TYPES.includes(essence)) return;
  }
  if (PREFLIGHT_HEADERS.some((name) => (req.headers[name]?.length ?? 0) > 0)) return;
  throw new HttpRefusal(
    400,
    'BAD_REQUEST',
    'This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). ' +
      `Please either specify a 'content-type' header (with a type that is not one of ` +
      `${SIMPLE_CONTENT_TYPES.join(', ')}) or provide a non-empty value for one of the ` +
      `following headers: ${PREFLIGHT_HEADERS.join(', ')}\n`,
  );
}

/**
 * The request Hive Gateway sees: the client's method, URL, body and content negotiation, and no
 * other header — no cookie, no authorization, no internal header a client might have sent.
 */
export function engineRequest(req: IncomingMessage, url: URL, raw: Buffer, signal: AbortSignal) {
  const headers = new Headers();
  for (const name of ['accept', 'content-type']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  return new Request(url, {
    method,
    headers,
    signal,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: new Uint8Array(raw) }),
  });
}
