// Registering a person and recording a consent from a phone on a bad network: a retry with the
// same idempotency key returns what the first attempt wrote, and never a second person or a live
// twin of a consent.
import { beneficiaries, partners } from '@passerelle/demo-data';
import { addDays, brusselsDate, brusselsInstant, ManualClock } from '@passerelle/service';
import { startInProcessStack, type InProcessStack, type TestViewer } from '@passerelle/testkit';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const agency: TestViewer = {
  partner: partners.aisQuartiers.id,
  role: 'staff',
  sub: 'staff:retries@ais-quartiers',
};
const trainer: TestViewer = {
  partner: partners.clic.id,
  role: 'staff',
  sub: 'staff:retries@clic-formation',
};

// The subgraphs' "now": the instant this file loads, until a test moves it across a Brussels
// midnight.
const clock = new ManualClock();
let stack: InProcessStack;
beforeAll(async () => {
  stack = await startInProcessStack({ clock });
});
afterAll(async () => {
  await stack?.stop();
});

const networkRows = <T>(query: SQL) => stack.rows<T>('network', query);

interface Outcome {
  id: string | null;
  errors: { field: string; code: string }[];
}

async function register(viewer: TestViewer, input: Record<string, unknown>): Promise<Outcome> {
  const result = await stack.query(
    viewer,
    `mutation($input: RegisterBeneficiaryInput!) {
      registerBeneficiary(input: $input) { beneficiary { id } errors { field code } }
    }`,
    { input },
  );
  expect(result.errors).toBeUndefined();
  const payload = result.data?.registerBeneficiary;
  return { id: payload.beneficiary?.id ?? null, errors: payload.errors };
}

async function peopleNamed(familyName: string) {
  return networkRows<{ id: string; registered_by: string }>(
    sql`select id, registered_by from beneficiaries where family_name = ${familyName} order by id`,
  );
}

const consentInput = (
  idempotencyKey: string | undefined,
  noticeVersion = '2026-09',
  expiresOn?: string,
) => ({
  beneficiaryId: beneficiaries.amina.id,
  recipientPartnerId: partners.clic.id,
  categories: ['identity', 'housing'],
  purpose: 'FOLLOW_UP',
  method: 'WRITTEN',
  noticeVersion,
  noticeLanguage: 'fr',
  expiresOn,
  idempotencyKey,
});

async function recordConsent(input: Record<string, unknown>) {
  const result = await stack.query(
    agency,
    `mutation($input: RecordConsentInput!) {
      recordConsent(input: $input) { consent { id live } errors { field code } }
    }`,
    { input },
  );
  expect(result.errors).toBeUndefined();
  const payload = result.data?.recordConsent;
  return {
    id: (payload.consent?.id ?? null) as string | null,
    live: payload.consent?.live as boolean | undefined,
    errors: payload.errors as { field: string; code: string }[],
  };
}

async function consentsRecordedWith(key: string) {
  return networkRows<{ id: string; withdrawn_at: unknown }>(
    sql`select id, withdrawn_at from consents where idempotency_key = ${key}`,
  );
}

describe('a retried registration', () => {
  const person = { givenName: 'Yasmina', familyName: 'Retried', birthYear: 1979 };

  it('returns the person registered the first time, and registers nobody else', async () => {
    const key = 'register-yasmina-1';
    const first = await register(agency, { ...person, idempotencyKey: key });
    expect(first.errors).toEqual([]);
    const again = await register(agency, { ...person, idempotencyKey: key });
    expect(again).toEqual(first);
    expect(await peopleNamed('Retried')).toEqual([
      { id: first.id, registered_by: partners.aisQuartiers.id },
    ]);
  });

  it('meets concurrent retries at one person', async () => {
    const input = { ...person, familyName: 'Concurrent', idempotencyKey: 'register-concurrent' };
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => register(agency, input)));
    const ids = new Set(outcomes.map((outcome) => outcome.id));
    expect(ids.size).toBe(1);
    expect(outcomes.every((outcome) => outcome.errors.length === 0)).toBe(true);
    expect((await peopleNamed('Concurrent')).map((row) => row.id)).toEqual([...ids]);
  });

  it('refuses a key reused for someone else, and writes nothing', async () => {
    const key = 'register-reused';
    const first = await register(agency, { ...person, familyName: 'Reused', idempotencyKey: key });
    const other = await register(agency, {
      ...person,
      givenName: 'Samira',
      familyName: 'Reused',
      idempotencyKey: key,
    });
    expect(other).toEqual({
      id: null,
      errors: [{ field: 'input.idempotencyKey', code: 'DUPLICATE' }],
    });
    expect((await peopleNamed('Reused')).map((row) => row.id)).toEqual([first.id]);
  });

  it("keeps each partner's keys apart", async () => {
    const input = { ...person, familyName: 'TwoPartners', idempotencyKey: 'shared-key' };
    const byAgency = await register(agency, input);
    const byTraining = await register(trainer, input);
    expect(byTraining.errors).toEqual([]);
    expect(byTraining.id).not.toBe(byAgency.id);
    expect(await peopleNamed('TwoPartners')).toHaveLength(2);
  });

  it('registers a new person on each call without a key, as before', async () => {
    const input = { ...person, familyName: 'NoKey' };
    const first = await register(agency, input);
    const second = await register(agency, input);
    expect(second.id).not.toBe(first.id);
    expect(await peopleNamed('NoKey')).toHaveLength(2);
  });

  it('checks the key like any other field', async () => {
    expect(await register(agency, { ...person, idempotencyKey: '' })).toEqual({
      id: null,
      errors: [{ field: 'input.idempotencyKey', code: 'REQUIRED' }],
    });
    expect(await register(agency, { ...person, idempotencyKey: 'k'.repeat(101) })).toEqual({
      id: null,
      errors: [{ field: 'input.idempotencyKey', code: 'TOO_LONG' }],
    });
  });
});

describe('a retried consent', () => {
  it('returns the consent recorded the first time, and records no twin', async () => {
    const key = 'consent-amina-clic';
    const first = await recordConsent(consentInput(key));
    expect(first.errors).toEqual([]);
    const outcomes = await Promise.all([1, 2, 3].map(() => recordConsent(consentInput(key))));
    for (const outcome of outcomes) expect(outcome).toEqual(first);
    expect((await consentsRecordedWith(key)).map((row) => row.id)).toEqual([first.id]);
  });

  it('answers a retry after the withdrawal with the withdrawn consent, not a live twin', async () => {
    const key = 'consent-then-withdrawn';
    const first = await recordConsent(consentInput(key));
    const withdrawn = await stack.query(
      agency,
      `mutation($input: WithdrawConsentInput!) {
        withdrawConsent(input: $input) { consent { live } errors { code } }
      }`,
      { input: { consentId: first.id } },
    );
    expect(withdrawn.data?.withdrawConsent).toEqual({ consent: { live: false }, errors: [] });
    const retry = await recordConsent(consentInput(key));
    expect(retry).toEqual({ id: first.id, live: false, errors: [] });
    const rows = await consentsRecordedWith(key);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.withdrawn_at).not.toBeNull();
  });

  it('refuses a key reused for another consent, and writes nothing', async () => {
    const key = 'consent-reused';
    const first = await recordConsent(consentInput(key));
    const other = await recordConsent(consentInput(key, '2026-10'));
    expect(other).toEqual({
      id: null,
      live: undefined,
      errors: [{ field: 'input.idempotencyKey', code: 'DUPLICATE' }],
    });
    expect((await consentsRecordedWith(key)).map((row) => row.id)).toEqual([first.id]);
  });

  it('answers a retry sent after midnight with the first consent, though its day has passed', async () => {
    const today = brusselsDate(new Date());
    const tomorrow = addDays(today, 1);
    clock.set(new Date(brusselsInstant(tomorrow).getTime() - 30 * 60_000));
    try {
      const key = 'consent-across-midnight';
      const first = await recordConsent(consentInput(key, '2026-09', tomorrow));
      expect(first.errors).toEqual([]);
      clock.advance(60 * 60_000);
      // Sent fresh now, the same day would be refused: it is no longer after today.
      const fresh = await recordConsent(consentInput(undefined, '2026-09', tomorrow));
      expect(fresh.errors).toEqual([{ field: 'input.expiresOn', code: 'OUT_OF_RANGE' }]);
      expect(await recordConsent(consentInput(key, '2026-09', tomorrow))).toEqual(first);
    } finally {
      clock.set(new Date());
    }
  });
});
