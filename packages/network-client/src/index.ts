// On writes, a partner subgraph checks with network what only network knows: does this person
// exist and which partners know them, does this course exist and who runs it. One HTTP call
// per entity type per request, through network's `_entities`.
import DataLoader from 'dataloader';
import {
  encodeViewer,
  ErrorCode,
  PublicError,
  MAX_BATCH_SIZE,
  REQUEST_ID_HEADER,
  SIGNATURE_HEADER,
  signRequest,
  VIEWER_HEADER,
  VOUCHER_HEADER,
  type SubgraphEnv,
  type Viewer,
} from '@passerelle/service';

export interface NetworkCourse {
  id: string;
  partnerId: string;
  capacity: number;
}

/** A referral as the calling viewer may read it (sender or receiver only). */
export interface NetworkReferral {
  id: string;
  status: string;
  version: number;
  fromPartnerId: string;
  toPartnerId: string;
  /** Null once the person was erased, or when the viewer may not read them. */
  beneficiaryId: string | null;
  courseId: string | null;
}

export interface NetworkBeneficiary {
  id: string;
  /** Partners that know the person. */
  partnerIds: string[];
}

/**
 * Network could not be asked: the write is refused rather than made unchecked. A public error
 * (SERVICE_UNAVAILABLE): it reaches the caller as it is, and the cause stays in the logs.
 */
export class NetworkUnavailableError extends PublicError {
  constructor(
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      ErrorCode.ServiceUnavailable,
      'The network directory is unavailable; nothing was changed',
      {},
    );
    if (options?.cause) this.cause = options.cause;
  }
}

export interface NetworkClientOptions {
  url: string;
  /** The calling subgraph's name: network accepts internal calls from known signers only. */
  signer: string;
  /** The key this subgraph signs its calls to network with. */
  key: Uint8Array;
  timeoutMs?: number;
}

const COURSES = `query NetworkCourses($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Course { id capacity partner { id } } }
}`;
const BENEFICIARIES = `query NetworkBeneficiaries($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Beneficiary { id knownBy { partner { id } } } }
}`;

const REFERRALS = `query NetworkReferrals($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Referral { id status version from { id } to { id } beneficiary { id } course { id } }
  }
}`;

interface ReferralEntity {
  id: string;
  status: string;
  version: number;
  from: { id: string };
  to: { id: string };
  beneficiary: { id: string } | null;
  course: { id: string } | null;
}

interface EntitiesResponse<T> {
  data?: { _entities: (T | null)[] };
  errors?: { message: string }[];
}

export class NetworkClient {
  constructor(private readonly options: NetworkClientOptions) {}

  /** The client a partner subgraph uses, from its environment. */
  static forSubgraph(name: string, env: SubgraphEnv): NetworkClient {
    return new NetworkClient({ url: env.NETWORK_URL, signer: name, key: env.signing.toNetwork() });
  }

  /**
   * Lookups batched for the lifetime of one request, sent with the gateway's voucher for its
   * viewer (`RequestContext.voucher`): network answers no call without one.
   */
  forRequest(viewer: Viewer, requestId: string, voucher: string | undefined) {
    const call = async <T>(query: string, typename: string, ids: readonly string[]) => {
      const body = JSON.stringify({
        query,
        variables: { representations: ids.map((id) => ({ __typename: typename, id })) },
      });
      const viewerHeader = encodeViewer(viewer);
      const signature = signRequest(this.options.key, {
        signer: this.options.signer,
        audience: 'network',
        viewer: viewerHeader,
        requestId,
        body,
      });
      let response: Response;
      try {
        response = await fetch(this.options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [VIEWER_HEADER]: viewerHeader,
            [REQUEST_ID_HEADER]: requestId,
            [SIGNATURE_HEADER]: signature,
            ...(voucher ? { [VOUCHER_HEADER]: voucher } : {}),
          },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
        });
      } catch (error) {
        throw new NetworkUnavailableError('network subgraph unreachable', { cause: error });
      }
      const json = (await response.json().catch(() => ({}))) as EntitiesResponse<T>;
      if (!response.ok || !json.data) {
        throw new NetworkUnavailableError(`network subgraph answered ${response.status}`);
      }
      return json.data._entities;
    };

    return {
      course: new DataLoader<string, NetworkCourse | null>(
        async (ids) => {
          const rows = await call<{ id: string; capacity: number; partner: { id: string } }>(
            COURSES,
            'Course',
            ids,
          );
          return rows.map((row) =>
            row ? { id: row.id, capacity: row.capacity, partnerId: row.partner.id } : null,
          );
        },
        { maxBatchSize: MAX_BATCH_SIZE },
      ),
      beneficiary: new DataLoader<string, NetworkBeneficiary | null>(
        async (ids) => {
          const rows = await call<{ id: string; knownBy: { partner: { id: string } }[] }>(
            BENEFICIARIES,
            'Beneficiary',
            ids,
          );
          return rows.map((row) =>
            row ? { id: row.id, partnerIds: row.knownBy.map((link) => link.partner.id) } : null,
          );
        },
        { maxBatchSize: MAX_BATCH_SIZE },
      ),
      /** Referrals the viewer's partner sent or received; null for any other. */
      referral: new DataLoader<string, NetworkReferral | null>(
        async (ids) => {
          const rows = await call<ReferralEntity>(REFERRALS, 'Referral', ids);
          return rows.map((row) =>
            row
              ? {
                  id: row.id,
                  status: row.status,
                  version: row.version,
                  fromPartnerId: row.from.id,
                  toPartnerId: row.to.id,
                  beneficiaryId: row.beneficiary?.id ?? null,
                  courseId: row.course?.id ?? null,
                }
              : null,
          );
        },
        { maxBatchSize: MAX_BATCH_SIZE },
      ),
    };
  }
}

export type NetworkLookups = ReturnType<NetworkClient['forRequest']>;
