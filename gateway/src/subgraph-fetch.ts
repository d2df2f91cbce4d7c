// The gateway's calls to its subgraphs, over Node's own HTTP client with kept-alive connections.
// Node 20's `fetch` builds a WHATWG request, response and stream for every call: in a profile of
// the gateway under load it cost more than the rest of a subgraph call. A subgraph call is always
// a small POST whose whole answer is read, which `http.request` does with far less machinery.
import { Agent, request } from 'node:http';
import type { FetcherResponse } from '@apollo/utils.fetcher';

/**
 * One agent for every subgraph: connections are kept and reused across requests. An idle one is
 * closed by the gateway after 30 s, or a second before the subgraph's own keep-alive timeout when
 * its `Keep-Alive` header announces a shorter one (subgraphs announce 65 s): reused at the very
 * moment the subgraph closes it, a connection would fail the call with a reset.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo', timeout: 30_000 });

/** An error named like `fetch`'s, so that callers tell a deadline from a refused connection. */
function named(name: 'TimeoutError' | 'AbortError', message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** Headers as Node's HTTP client gives them. */
function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (value) for (const item of value) headers.append(name, item);
  }
  return headers;
}

/** A whole answer already read: what Apollo's data source asks of a `fetch` response. */
class SubgraphResponse implements FetcherResponse {
  readonly redirected = false;
  bodyUsed = false;
  readonly ok: boolean;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    private readonly body: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  text(): Promise<string> {
    this.bodyUsed = true;
    return Promise.resolve(this.body.toString('utf8'));
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    const { buffer, byteOffset, byteLength } = this.body;
    return Promise.resolve(buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer);
  }

  clone(): FetcherResponse {
    return new SubgraphResponse(
      this.url,
      this.status,
      this.statusText,
      new Headers(this.headers),
      this.body,
    );
  }
}

export interface SubgraphCall {
  headers: Headers;
  body: string;
  /** Aborts the call when the client leaves. */
  signal?: AbortSignal | undefined;
  /** Fails the call with a `TimeoutError` past this many milliseconds. */
  timeoutMs: number;
}

/** POSTs `body` to `url` and reads the whole answer; rejects on a deadline, abort or socket error. */
export function postToSubgraph(url: string, call: SubgraphCall): Promise<FetcherResponse> {
  return new Promise((resolve, reject) => {
    if (call.signal?.aborted) {
      reject(named('AbortError', 'The client went away'));
      return;
    }
    const headers: Record<string, string> = {};
    call.headers.forEach((value, name) => (headers[name] = value));
    headers['content-length'] = String(Buffer.byteLength(call.body));
    const outgoing = request(url, { method: 'POST', headers, agent });
    let settled = false;
    const finish = (error: Error | null, response?: FetcherResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
      if (error) {
        outgoing.destroy();
        reject(error);
      } else resolve(response!);
    };
    const timer = setTimeout(
      () => finish(named('TimeoutError', `No answer within ${call.timeoutMs} ms`)),
      call.timeoutMs,
    );
    const onAbort = () => finish(named('AbortError', 'The client went away'));
    call.signal?.addEventListener('abort', onAbort, { once: true });
    outgoing.on('error', (error) =>
      finish(new Error('The subgraph call failed', { cause: error })),
    );
    outgoing.on('response', (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', (error) =>
        finish(new Error('The subgraph answer broke off', { cause: error })),
      );
      incoming.on('end', () => {
        finish(
          null,
          new SubgraphResponse(
            url,
            incoming.statusCode ?? 0,
            incoming.statusMessage ?? '',
            headersOf(incoming.headers),
            Buffer.concat(chunks),
          ),
        );
      });
    });
    outgoing.end(call.body);
  });
}
