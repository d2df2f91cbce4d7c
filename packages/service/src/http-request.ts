// Reading a GraphQL request off HTTP: a bounded body, JSON in UTF-8 only, its parameters, and
// text that is valid Unicode. What does not fit is refused before GraphQL runs.
import type { IncomingMessage } from 'node:http';

/** A refusal before GraphQL runs: status, stable code and a short message. */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw new HttpRefusal(413, 'PAYLOAD_TOO_LARGE', 'Request body is too large');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new HttpRefusal(413, 'PAYLOAD_TOO_LARGE', 'Request body is too large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The JSON body of a POST. Only `application/json` in UTF-8 is accepted: a form, multipart or
 * plain-text POST, which a browser sends across sites without asking, never reaches GraphQL.
 */
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
  if (raw.length === 0) {
    throw new HttpRefusal(400, 'BAD_REQUEST', 'Request body is empty');
  }
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
    // Apollo reports variables that are not JSON.
  }
  return {
    query: url.searchParams.get('query') ?? undefined,
    variables,
    operationName: url.searchParams.get('operationName') ?? undefined,
  };
}

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Whether any text in `value` is not valid Unicode: JSON can escape half of a surrogate pair,
 * which no database column can store faithfully.
 */
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
