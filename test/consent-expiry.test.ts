// A consent's last day, as the partners live it: a Brussels day, held to its end, from tomorrow
// to three years ahead.
import { beneficiaries, partners } from '@passerelle/demo-data';
import { addDays, brusselsDate, brusselsInstant } from '@passerelle/service';
import { startInProcessStack, type InProcessStack, type TestViewer } from '@passerelle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const agency: TestViewer = {
  partner: partners.aisQuartiers.id,
  role: 'staff',
  sub: 'staff:expiry@ais-quartiers',
};

let stack: InProcessStack;
beforeAll(async () => {
  stack = await startInProcessStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function record(expiresOn: string) {
  const result = await stack.query(
    agency,
    `mutation($input: RecordConsentInput!) {
      recordConsent(input: $input) { consent { expiresAt live } errors { field code } }
    }`,
    {
      input: {
        beneficiaryId: beneficiaries.amina.id,
        recipientPartnerId: partners.clic.id,
        categories: ['identity'],
        purpose: 'FOLLOW_UP',
        method: 'WRITTEN',
        noticeVersion: '2026-06',
        noticeLanguage: 'fr',
        expiresOn,
      },
    },
  );
  expect(result.errors).toBeUndefined();
  return result.data?.recordConsent as {
    consent: { expiresAt: string; live: boolean } | null;
    errors: { field: string; code: string }[];
  };
}

describe("a consent's last day", () => {
  it('holds to the end of that day in Brussels', async () => {
    const tomorrow = addDays(brusselsDate(new Date()), 1);
    const recorded = await record(tomorrow);
    expect(recorded.errors).toEqual([]);
    expect(recorded.consent).toEqual({
      expiresAt: brusselsInstant(addDays(tomorrow, 1)).toISOString(),
      live: true,
    });
  });

  it('is after today and at most three years ahead, to the day', async () => {
    const today = brusselsDate(new Date());
    const latest = `${Number(today.slice(0, 4)) + 3}${today.slice(4)}`;
    expect((await record(latest)).errors).toEqual([]);
    for (const day of [today, addDays(today, -1), addDays(latest, 1)]) {
      expect((await record(day)).errors, day).toEqual([
        { field: 'input.expiresOn', code: 'OUT_OF_RANGE' },
      ]);
    }
  });
});
