// On writes, a partner subgraph checks with network what only network knows: does this person
// exist and which partners know them, does this course exist and who runs it. One HTTP call
// per entity type per request, through network's `_entities`.
import DataLoader from 'dataloader';
import {
  encodeViewer,
  MAX_BATCH_SIZE,
  REQUEST_ID_HEADER,
  VIEWER_HEADER,
  type Viewer,
} from '@passerelle/service';

export interface NetworkCourse {
  id: string;
  partnerId: string;
  capacity: number;
}

export interface NetworkBeneficiary {
  id: string;
  /** Partners that know the person. */
  partnerIds: string[];
}

/** Network could not be asked; the write is refused rather than made unchecked. */
export class NetworkUnavailableError extends Error {}

export interface NetworkClientOptions {
  url: string;
  /** Headers that authenticate this subgraph to network (added per call). */
  authenticate?: (body: string, viewer: Viewer) => Record<string, string>;
  timeoutMs?: number;
}

const COURSES = `query NetworkCourses($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Course { id capacity partner { id } } }
}`;
const BENEFICIARIES = `query NetworkBeneficiaries($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Beneficiary { id knownBy { partner { id } } } }
}`;

interface EntitiesResponse<T> {
  data?: { _entities: (T | null)[] };
  errors?: { message: string }[];
}

export class NetworkClient {
  constructor(private readonly options: NetworkClientOptions) {}

  /** Lookups batched for the lifetime of one request. */
  forRequest(viewer: Viewer, requestId: string) {
    const call = async <T>(query: string, typename: string, ids: readonly string[]) => {
      const body = JSON.stringify({
        query,
        variables: { representations: ids.map((id) => ({ __typename: typename, id })) },
      });
      let response: Response;
      try {
        response = await fetch(this.options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [VIEWER_HEADER]: encodeViewer(viewer),
            [REQUEST_ID_HEADER]: requestId,
            ...this.options.authenticate?.(body, viewer),
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
    };
  }
}

export type NetworkLookups = ReturnType<NetworkClient['forRequest']>;
