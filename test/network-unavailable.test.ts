// A partner write that cannot check with network is refused with SERVICE_UNAVAILABLE and
// writes nothing, rather than being made unchecked.
import { beneficiaries, courses, partners } from '@passerelle/demo-data';
import { startInProcessStack, type InProcessStack } from '@passerelle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let stack: InProcessStack;
const trainer = { partner: partners.clic.id, role: 'staff' } as const;
const housing = { partner: partners.aisQuartiers.id, role: 'staff' } as const;

beforeAll(async () => {
  stack = await startInProcessStack();
  await stack.subgraphs.get('network')!.close();
});
afterAll(async () => {
  await stack?.stop();
});

describe('when network is down', () => {
  it('refuses partner writes with a stable code and no internal detail', async () => {
    const enroll = await stack.query(
      trainer,
      `mutation($input: EnrollInput!) { enroll(input: $input) { enrollment { id } errors { code } } }`,
      { input: { courseId: courses.smartphone.id, beneficiaryId: beneficiaries.jean.id } },
    );
    expect(enroll.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(JSON.stringify(enroll)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|stack/);

    const lend = await stack.query(
      housing,
      `mutation($input: HousingLendPcInput!) { lendPc(input: $input) { loan { id } errors { code } } }`,
      { input: { beneficiaryId: beneficiaries.jean.id } },
    );
    expect(lend.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
  });

  it('wrote nothing', async () => {
    const seats = await stack.subgraphs
      .get('training')!
      .database.db.execute(
        `select count(*)::int as n from enrollments where beneficiary_id = '${beneficiaries.jean.id}' and course_id = '${courses.smartphone.id}'`,
      );
    const rows = Array.isArray(seats) ? seats : (seats as { rows: { n: number }[] }).rows;
    expect(rows[0]).toEqual({ n: 0 });
  });
});
