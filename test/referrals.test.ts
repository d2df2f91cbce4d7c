// The closed-loop referral lifecycle through the real gateway: idempotent creation, the
// (state × action) matrix of DESIGN.md §5, optimistic concurrency, expiry and who reads what.
import {
  beneficiaries,
  courses,
  partners,
  referrals as demoReferrals,
} from '@passerelle/demo-data';
import { ManualClock } from '@passerelle/service';
import { startInProcessStack, type InProcessStack, type TestViewer } from '@passerelle/testkit';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkDb } from '../subgraphs/network/src/db/index.ts';
import { ReferralRepository } from '../subgraphs/network/src/repositories/referrals.ts';

const SENDER = partners.aisQuartiers.id;
const RECEIVER = partners.clic.id;
const THIRD = partners.aisIris.id;
const PERSON = beneficiaries.amina.id;
const RECEIVER_DEADLINE_DAYS = partners.clic.responseDeadlineDays;

const staffOf = (partner: string): TestViewer => ({
  partner,
  role: 'staff',
  sub: `staff:referrals@${partner}`,
});
const coordinator: TestViewer = { partner: null, role: 'coordinator', sub: 'coordinator:ref' };

const FIELDS =
  'id status version reasonCode outcome from { id } to { id } history { fromStatus toStatus note actorPartner { id } }';

interface Referral {
  id: string;
  status: string;
  version: number;
  reasonCode: string | null;
  outcome: string | null;
  history: { fromStatus: string | null; toStatus: string; note: string | null }[];
}

let stack: InProcessStack;
let keys = 0;
// Every subgraph reads "now" from this clock; tests move it to reach deadlines.
const clock = new ManualClock(new Date('2026-11-16T08:00:00Z'));

beforeAll(async () => {
  stack = await startInProcessStack({ clock });
});
afterAll(async () => {
  await stack?.stop();
});

function createInput(key: string, overrides: Record<string, unknown> = {}) {
  return {
    idempotencyKey: key,
    beneficiaryId: PERSON,
    toPartnerId: RECEIVER,
    courseId: courses.premiersPas.id,
    reason: 'Wants to learn to use e-mail',
    consent: {
      categories: ['identity', 'housing'],
      method: 'WRITTEN',
      noticeVersion: '2026-09',
      noticeLanguage: 'fr',
    },
    ...overrides,
  };
}

async function create(key = `key-${++keys}`, overrides: Record<string, unknown> = {}) {
  const result = await stack.query(
    staffOf(SENDER),
    `mutation($input: CreateReferralInput!) { createReferral(input: $input) { referral { ${FIELDS} } errors { field code } } }`,
    { input: createInput(key, overrides) },
  );
  expect(result.errors).toBeUndefined();
  return result.data?.createReferral as {
    referral: Referral | null;
    errors: { field: string; code: string }[];
  };
}

async function transition(
  viewer: TestViewer,
  referral: { id: string; version: number },
  action: string,
  extra: Record<string, unknown> = {},
) {
  const result = await stack.query(
    viewer,
    `mutation($input: TransitionReferralInput!) { transitionReferral(input: $input) { referral { ${FIELDS} } errors { field code } } }`,
    {
      input: { referralId: referral.id, expectedVersion: referral.version, action, ...extra },
    },
  );
  return {
    referral: (result.data?.transitionReferral?.referral ?? null) as Referral | null,
    errors: (result.data?.transitionReferral?.errors ?? []) as { field: string; code: string }[],
    code: result.errors?.[0]?.extensions?.code as string | undefined,
  };
}

const EXTRA: Record<string, Record<string, unknown>> = {
  DECLINE: { reasonCode: 'NO_CAPACITY', note: 'Groupe complet' },
  FAIL: { reasonCode: 'COULD_NOT_CONTACT' },
  COMPLETE: { outcome: 'Sends e-mails alone' },
};
const actorOf = (action: string) => staffOf(action === 'WITHDRAW' ? SENDER : RECEIVER);

async function act(referral: Referral, action: string) {
  return transition(actorOf(action), referral, action, EXTRA[action] ?? {});
}

const PATHS: Record<string, string[]> = {
  SENT: [],
  ACKNOWLEDGED: ['ACKNOWLEDGE'],
  ACCEPTED: ['ACKNOWLEDGE', 'ACCEPT'],
  DECLINED: ['ACKNOWLEDGE', 'DECLINE'],
  IN_PROGRESS: ['ACKNOWLEDGE', 'ACCEPT', 'START'],
  ON_HOLD: ['ACKNOWLEDGE', 'ACCEPT', 'START', 'HOLD'],
  COMPLETED: ['ACKNOWLEDGE', 'ACCEPT', 'START', 'COMPLETE'],
  FAILED: ['ACKNOWLEDGE', 'ACCEPT', 'START', 'FAIL'],
  WITHDRAWN: ['WITHDRAW'],
  EXPIRED: [],
};

const rowsOf = <T>(query: SQL) => stack.rows<T>('network', query);

/** Moves the network's clock to the instant the referral's response deadline falls. */
async function expire(id: string) {
  const [row] = await rowsOf<{ respond_by: string | Date }>(
    sql`select respond_by from referrals where id = ${id}::uuid`,
  );
  clock.set(new Date(row!.respond_by));
}

async function reach(state: string): Promise<Referral> {
  let referral = (await create()).referral!;
  for (const action of PATHS[state]!) {
    const step = await act(referral, action);
    expect(step.errors).toEqual([]);
    referral = step.referral!;
  }
  if (state === 'EXPIRED') {
    await expire(referral.id);
    referral = (await read(staffOf(SENDER), referral.id))!;
  }
  expect(referral.status).toBe(state);
  return referral;
}

async function read(viewer: TestViewer, id: string): Promise<Referral | null> {
  const result = await stack.query(viewer, `query($id: ID!) { referral(id: $id) { ${FIELDS} } }`, {
    id,
  });
  expect(result.errors).toBeUndefined();
  return result.data?.referral ?? null;
}

const ALLOWED: Record<string, Record<string, string>> = {
  SENT: { ACKNOWLEDGE: 'ACKNOWLEDGED', WITHDRAW: 'WITHDRAWN' },
  ACKNOWLEDGED: { ACCEPT: 'ACCEPTED', DECLINE: 'DECLINED', WITHDRAW: 'WITHDRAWN' },
  ACCEPTED: { START: 'IN_PROGRESS', WITHDRAW: 'WITHDRAWN' },
  IN_PROGRESS: { HOLD: 'ON_HOLD', COMPLETE: 'COMPLETED', FAIL: 'FAILED', WITHDRAW: 'WITHDRAWN' },
  ON_HOLD: {
    RESUME: 'IN_PROGRESS',
    COMPLETE: 'COMPLETED',
    FAIL: 'FAILED',
    WITHDRAW: 'WITHDRAWN',
  },
  DECLINED: {},
  COMPLETED: {},
  FAILED: {},
  WITHDRAWN: {},
  EXPIRED: {},
};
const ACTIONS = [
  'ACKNOWLEDGE',
  'ACCEPT',
  'DECLINE',
  'START',
  'HOLD',
  'RESUME',
  'COMPLETE',
  'FAIL',
  'WITHDRAW',
];

describe('creating a referral', () => {
  it('sends it with its SENT event and records the consent naming the receiver', async () => {
    const { referral, errors } = await create('create-basic', { note: 'Urgent' });
    expect(errors).toEqual([]);
    expect(referral).toMatchObject({ status: 'SENT', version: 1 });
    expect(referral!.history).toEqual([
      { fromStatus: null, toStatus: 'SENT', note: 'Urgent', actorPartner: { id: SENDER } },
    ]);
    const consents = await stack.query(
      staffOf(SENDER),
      `query($id: ID!) { beneficiary(id: $id) { consents { recipient { id } purpose categories } } }`,
      { id: PERSON },
    );
    expect(consents.data?.beneficiary.consents).toContainEqual({
      recipient: { id: RECEIVER },
      purpose: 'REFERRAL',
      categories: ['housing', 'identity'],
    });
  });

  it('returns the first referral when retried, sequentially or concurrently', async () => {
    const first = await create('retry-seq');
    const again = await create('retry-seq');
    expect(again.errors).toEqual([]);
    expect(again.referral!.id).toBe(first.referral!.id);

    const parallel = await Promise.all(Array.from({ length: 5 }, () => create('retry-par')));
    const ids = new Set(parallel.map((r) => r.referral?.id));
    expect(parallel.every((r) => r.errors.length === 0)).toBe(true);
    expect(ids.size).toBe(1);

    const counted = await rowsOf<{ n: number }>(
      sql`select count(*)::int as n from referrals where idempotency_key in ('retry-seq', 'retry-par')`,
    );
    expect(counted).toEqual([{ n: 2 }]);
  });

  it('refuses a reused key with a different payload', async () => {
    await create('retry-diff');
    const other = await create('retry-diff', { reason: 'Something else' });
    expect(other.referral).toBeNull();
    expect(other.errors).toEqual([{ field: 'input.idempotencyKey', code: 'DUPLICATE' }]);
  });

  it('refuses a person not linked to the sender, and non-staff', async () => {
    const notLinked = await create('not-linked', { beneficiaryId: beneficiaries.marta.id });
    expect(notLinked.errors).toContainEqual({ field: 'input.beneficiaryId', code: 'NOT_FOUND' });
    const volunteer = await stack.query(
      { partner: SENDER, role: 'volunteer', sub: 'volunteer:ref' },
      `mutation($input: CreateReferralInput!) { createReferral(input: $input) { referral { id } errors { field code } } }`,
      { input: createInput('volunteer') },
    );
    expect(volunteer.data?.createReferral.errors).toEqual([
      { field: 'input', code: 'NOT_ALLOWED' },
    ]);
  });
});

describe('the state machine', () => {
  for (const state of Object.keys(PATHS)) {
    it(`from ${state}: allows ${Object.keys(ALLOWED[state]!).join(', ') || 'nothing'}`, async () => {
      const referral = await reach(state);
      for (const action of ACTIONS.filter((a) => !(a in ALLOWED[state]!))) {
        const refused = await act(referral, action);
        expect(refused.referral, `${state} × ${action}`).toBeNull();
        expect(refused.errors, `${state} × ${action}`).toEqual([
          { field: 'input.action', code: 'NOT_ALLOWED' },
        ]);
      }
      expect((await read(staffOf(SENDER), referral.id))!.version).toBe(referral.version);
      for (const [action, to] of Object.entries(ALLOWED[state]!)) {
        const fresh = await reach(state);
        const moved = await act(fresh, action);
        expect(moved.errors, `${state} × ${action}`).toEqual([]);
        expect(moved.referral).toMatchObject({ status: to, version: fresh.version + 1 });
        expect(moved.referral!.history.at(-1)).toMatchObject({ fromStatus: state, toStatus: to });
      }
    });
  }

  it('lets only the receiver answer and only the sender withdraw', async () => {
    const referral = await reach('SENT');
    expect((await transition(staffOf(SENDER), referral, 'ACKNOWLEDGE')).errors).toEqual([
      { field: 'input.action', code: 'NOT_ALLOWED' },
    ]);
    expect((await transition(staffOf(RECEIVER), referral, 'WITHDRAW')).errors).toEqual([
      { field: 'input.action', code: 'NOT_ALLOWED' },
    ]);
    expect((await transition(staffOf(THIRD), referral, 'ACKNOWLEDGE')).errors).toEqual([
      { field: 'input.referralId', code: 'NOT_FOUND' },
    ]);
  });

  it('requires a reason code to decline and an outcome to complete, and keeps them', async () => {
    const acknowledged = await reach('ACKNOWLEDGED');
    expect((await transition(staffOf(RECEIVER), acknowledged, 'DECLINE')).errors).toEqual([
      { field: 'input.reasonCode', code: 'REQUIRED' },
    ]);
    const declined = await act(acknowledged, 'DECLINE');
    expect(declined.referral).toMatchObject({ status: 'DECLINED', reasonCode: 'NO_CAPACITY' });
    const running = await reach('IN_PROGRESS');
    expect((await transition(staffOf(RECEIVER), running, 'COMPLETE')).errors).toEqual([
      { field: 'input.outcome', code: 'REQUIRED' },
    ]);
    const completed = await act(running, 'COMPLETE');
    expect(completed.referral).toMatchObject({
      status: 'COMPLETED',
      outcome: 'Sends e-mails alone',
    });
  });

  it('links the person to the receiver on acceptance', async () => {
    const referral = await reach('ACKNOWLEDGED');
    await act(referral, 'ACCEPT');
    const links = await rowsOf<{ basis: string }>(
      sql`select basis from beneficiary_links where beneficiary_id = ${PERSON}::uuid and partner_id = ${RECEIVER}`,
    );
    expect(links).toHaveLength(1);
  });
});

describe('the consent recorded with a referral', () => {
  /** The consent row recorded with referral `id`. */
  async function consentOf(id: string) {
    const [row] = await rowsOf<{ withdrawn_at: string | Date | null; withdrawn_by_sub: string }>(
      sql`select c.withdrawn_at, c.withdrawn_by_sub from consents c join referrals r on r.consent_id = c.id where r.id = ${id}::uuid`,
    );
    expect(row, 'the referral keeps its consent').toBeDefined();
    return row!;
  }

  it('ends when the referral is declined, withdrawn or expires', async () => {
    for (const state of ['DECLINED', 'WITHDRAWN', 'EXPIRED']) {
      const referral = await reach(state);
      const consent = await consentOf(referral.id);
      expect(consent.withdrawn_at, state).not.toBeNull();
      expect(consent.withdrawn_by_sub, state).toBe(`system:referral-${state.toLowerCase()}`);
    }
  });

  it('stays live once the receiver took the person on, however the referral ends', async () => {
    for (const state of ['ACCEPTED', 'COMPLETED', 'FAILED']) {
      const referral = await reach(state);
      expect((await consentOf(referral.id)).withdrawn_at, state).toBeNull();
    }
    const accepted = await reach('IN_PROGRESS');
    expect((await act(accepted, 'WITHDRAW')).errors).toEqual([]);
    expect((await consentOf(accepted.id)).withdrawn_at).toBeNull();
  });

  it('opens nothing once the deadline passed, even before any read of referrals', async () => {
    for (const state of ['SENT', 'ACKNOWLEDGED']) {
      const referral = await reach(state);
      const [consent] = await rowsOf<{ id: string }>(
        sql`select consent_id as id from referrals where id = ${referral.id}::uuid`,
      );
      const seen = async () => {
        const receiver = await stack.query(
          staffOf(RECEIVER),
          `query($id: ID!) { beneficiary(id: $id) { access { consentId } } }`,
          { id: PERSON },
        );
        // Reading the grants wrote nothing: the consent is still on record as not withdrawn.
        const [row] = await rowsOf<{ withdrawn_at: unknown }>(
          sql`select withdrawn_at from consents where id = ${consent!.id}::uuid`,
        );
        expect(row!.withdrawn_at, state).toBeNull();
        // Listing consents expires overdue referrals first.
        const sender = await stack.query(
          staffOf(SENDER),
          `query($id: ID!) { beneficiary(id: $id) { consents { id live } } }`,
          { id: PERSON },
        );
        expect(receiver.errors).toBeUndefined();
        expect(sender.errors).toBeUndefined();
        const access = (receiver.data?.beneficiary?.access ?? []) as { consentId: string }[];
        const consents = sender.data?.beneficiary?.consents as { id: string; live: boolean }[];
        return {
          grants: access.some((grant) => grant.consentId === consent!.id),
          live: consents.find((c) => c.id === consent!.id)?.live,
        };
      };
      expect(await seen(), state).toEqual({ grants: true, live: true });
      // At the deadline, before anything read a referral: the grant is gone all the same.
      await expire(referral.id);
      expect(await seen(), state).toEqual({ grants: false, live: false });
      expect((await read(staffOf(SENDER), referral.id))?.status, state).toBe('EXPIRED');
    }
  });

  it('lets a stale acceptance conflict rather than name the consent', async () => {
    const referral = await reach('ACKNOWLEDGED');
    expect((await act(referral, 'WITHDRAW')).errors).toEqual([]);
    expect((await act(referral, 'ACCEPT')).code).toBe('CONFLICT');
  });

  it('refuses ACCEPT once the person withdrew it, and writes nothing', async () => {
    const referral = await reach('ACKNOWLEDGED');
    const [consent] = await rowsOf<{ id: string }>(
      sql`select consent_id as id from referrals where id = ${referral.id}::uuid`,
    );
    const withdrawn = await stack.query(
      staffOf(SENDER),
      `mutation($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { errors { code } } }`,
      { input: { consentId: consent!.id } },
    );
    expect(withdrawn.data?.withdrawConsent.errors).toEqual([]);
    const accepted = await act(referral, 'ACCEPT');
    expect(accepted.referral).toBeNull();
    expect(accepted.errors).toEqual([{ field: 'input.action', code: 'NOT_ALLOWED' }]);
    const after = await read(staffOf(SENDER), referral.id);
    expect(after).toMatchObject({ status: 'ACKNOWLEDGED', version: referral.version });
    expect((await act(after!, 'WITHDRAW')).errors).toEqual([]);
  });
});

describe('one request, two steps', () => {
  it('answers each step with the history as it stands after it', async () => {
    const referral = await reach('SENT');
    const result = await stack.query(
      staffOf(RECEIVER),
      `mutation($id: ID!, $v1: Int!, $v2: Int!) {
        first: transitionReferral(input: { referralId: $id, expectedVersion: $v1, action: ACKNOWLEDGE }) { referral { status history { toStatus } } errors { code } }
        second: transitionReferral(input: { referralId: $id, expectedVersion: $v2, action: ACCEPT }) { referral { status history { toStatus } } errors { code } }
      }`,
      { id: referral.id, v1: referral.version, v2: referral.version + 1 },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.first.referral.history.at(-1)).toEqual({ toStatus: 'ACKNOWLEDGED' });
    expect(result.data?.second.referral).toEqual({
      status: 'ACCEPTED',
      history: [{ toStatus: 'SENT' }, { toStatus: 'ACKNOWLEDGED' }, { toStatus: 'ACCEPTED' }],
    });
  });
});

describe('optimistic concurrency', () => {
  it('lets exactly one of two conflicting transitions through', async () => {
    const referral = await reach('ACKNOWLEDGED');
    const [accept, decline] = await Promise.all([
      act(referral, 'ACCEPT'),
      act(referral, 'DECLINE'),
    ]);
    const succeeded = [accept, decline].filter((r) => r.referral !== null);
    const failed = [accept, decline].filter((r) => r.referral === null);
    expect(succeeded).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.code).toBe('CONFLICT');
    const after = await read(staffOf(RECEIVER), referral.id);
    expect(after!.version).toBe(referral.version + 1);
    expect(after!.history).toHaveLength(referral.history.length + 1);
  });

  it('refuses a stale expected version', async () => {
    const referral = await reach('SENT');
    await act(referral, 'ACKNOWLEDGE');
    const stale = await act(referral, 'WITHDRAW');
    expect(stale.code).toBe('CONFLICT');
  });
});

describe('expiry', () => {
  it("sets the deadline from the receiver's response days", async () => {
    const { referral } = await create();
    const [row] = await rowsOf<{ sent_at: string | Date; respond_by: string | Date }>(
      sql`select sent_at, respond_by from referrals where id = ${referral!.id}::uuid`,
    );
    expect(new Date(row!.sent_at).getTime()).toBe(clock.now().getTime());
    expect(new Date(row!.respond_by).getTime() - clock.now().getTime()).toBe(
      RECEIVER_DEADLINE_DAYS * 86_400_000,
    );
  });

  it('keeps a referral open until its deadline and expires it at the deadline', async () => {
    const referral = await reach('ACKNOWLEDGED');
    const [row] = await rowsOf<{ respond_by: string | Date }>(
      sql`select respond_by from referrals where id = ${referral.id}::uuid`,
    );
    const deadline = new Date(row!.respond_by);
    clock.set(new Date(deadline.getTime() - 1));
    expect((await read(staffOf(RECEIVER), referral.id))!.status).toBe('ACKNOWLEDGED');
    clock.set(deadline);
    const expired = await stack.query(
      staffOf(SENDER),
      `query($id: ID!) { referral(id: $id) { status updatedAt history { toStatus at } } }`,
      { id: referral.id },
    );
    expect(expired.data?.referral).toMatchObject({
      status: 'EXPIRED',
      updatedAt: deadline.toISOString(),
    });
    expect(expired.data?.referral.history.at(-1)).toEqual({
      toStatus: 'EXPIRED',
      at: deadline.toISOString(),
    });
  });

  it('expires a referral left unanswered past its deadline, with an event', async () => {
    for (const state of ['SENT', 'ACKNOWLEDGED']) {
      const referral = await reach(state);
      await expire(referral.id);
      const expired = await read(staffOf(RECEIVER), referral.id);
      expect(expired).toMatchObject({ status: 'EXPIRED', version: referral.version + 1 });
      expect(expired!.history.at(-1)).toMatchObject({ fromStatus: state, toStatus: 'EXPIRED' });
      const late = await act(expired!, state === 'SENT' ? 'ACKNOWLEDGE' : 'ACCEPT');
      expect(late.errors).toEqual([{ field: 'input.action', code: 'NOT_ALLOWED' }]);
    }
  });

  it('answers a retried creation past the deadline with the referral expired', async () => {
    const referral = (await create('retry-late')).referral!;
    await expire(referral.id);
    const again = await create('retry-late');
    expect(again.referral).toMatchObject({ id: referral.id, status: 'EXPIRED' });
  });

  it('takes no step once the deadline passed, even before the expiry ran', async () => {
    const referral = await reach('SENT');
    const [row] = await rowsOf<{ respond_by: string | Date }>(
      sql`select respond_by from referrals where id = ${referral.id}::uuid`,
    );
    const network = stack.subgraphs.get('network')!.database.db as unknown as NetworkDb;
    const late = new ReferralRepository(network, new ManualClock(new Date(row!.respond_by)));
    const moved = await late.transition({
      referralId: referral.id,
      fromStatus: 'SENT',
      toStatus: 'ACKNOWLEDGED',
      expectedVersion: referral.version,
      actor: staffOf(RECEIVER).sub!,
      actorPartnerId: RECEIVER,
      note: null,
    });
    expect(moved).toEqual({ kind: 'conflict' });
  });

  it('does not expire a referral already accepted', async () => {
    const referral = await reach('ACCEPTED');
    await expire(referral.id);
    expect((await read(staffOf(RECEIVER), referral.id))!.status).toBe('ACCEPTED');
  });
});

describe('who reads referrals', () => {
  it('shows a third partner nothing', async () => {
    const referral = await reach('SENT');
    expect(await read(staffOf(THIRD), referral.id)).toBeNull();
    const list = await stack.query(
      staffOf(THIRD),
      `{ referrals(first: 100) { totalCount nodes { id from { id } to { id } } } }`,
    );
    expect(list.errors).toBeUndefined();
    for (const node of list.data?.referrals.nodes ?? []) {
      expect([node.from.id, node.to.id]).toContain(THIRD);
    }
    const ids = (list.data?.referrals.nodes ?? []).map((n: { id?: string }) => n.id);
    expect(ids).not.toContain(referral.id);
  });

  it("shows a partner's volunteers none", async () => {
    const referral = await reach('SENT');
    const volunteer: TestViewer = { partner: SENDER, role: 'volunteer', sub: 'volunteer:ref' };
    expect(await read(volunteer, referral.id)).toBeNull();
    const list = await stack.query(volunteer, `{ referrals(first: 100) { totalCount } }`);
    expect(list.errors).toBeUndefined();
    expect(list.data?.referrals.totalCount).toBe(0);
  });

  it('shows the sender and the receiver theirs', async () => {
    const referral = await reach('SENT');
    expect(await read(staffOf(SENDER), referral.id)).not.toBeNull();
    expect(await read(staffOf(RECEIVER), referral.id)).not.toBeNull();
  });

  it('shows coordinators only referrals of people who gave a coordination consent', async () => {
    const list = await stack.query(coordinator, `{ referrals(first: 100) { nodes { id } } }`);
    expect(list.errors).toBeUndefined();
    const ids = list.data?.referrals.nodes.map((n: { id: string }) => n.id);
    const jean = demoReferrals.find((r) => r.beneficiaryId === beneficiaries.jean.id)!;
    expect(ids).toEqual([jean.id]);
    const beneficiary: TestViewer = { partner: null, role: 'beneficiary', sub: 'person:ref' };
    const none = await stack.query(beneficiary, `{ referrals(first: 100) { totalCount } }`);
    expect(none.data?.referrals.totalCount ?? 0).toBe(0);
  });
});

describe('the history', () => {
  /** What the database answers a statement: `done`, or the reason it refused it. */
  async function answer(statement: SQL): Promise<string> {
    try {
      await rowsOf(statement);
      return 'done';
    } catch (error) {
      return String((error as Error).cause ?? error);
    }
  }

  it('is append-only in the database: no event is changed or removed', async () => {
    const referral = await reach('ACKNOWLEDGED');
    const events = sql`referral_events where referral_id = ${referral.id}::uuid`;
    const rewrite = sql`update referral_events set to_status = 'DECLINED' where referral_id = ${referral.id}::uuid`;
    const remove = sql`delete from referral_events where referral_id = ${referral.id}::uuid`;
    for (const statement of [rewrite, remove]) {
      expect(await answer(statement)).toMatch(/history is append-only/);
    }
    const kept = await rowsOf<{ to_status: string }>(
      sql`select to_status from ${events} order by version`,
    );
    expect(kept.map((event) => event.to_status)).toEqual(['SENT', 'ACKNOWLEDGED']);
  });

  it('lets a note be erased, and nothing else of the event with it', async () => {
    const referral = await reach('SENT');
    const erase = sql`update referral_events set note = null where referral_id = ${referral.id}::uuid`;
    expect(await answer(erase)).toBe('done');
    const alsoRewrite = sql`update referral_events set note = null, actor = 'someone-else'
      where referral_id = ${referral.id}::uuid`;
    expect(await answer(alsoRewrite)).toMatch(/history is append-only/);
  });

  it('goes with its referral when the referral itself is deleted', async () => {
    const referral = await reach('SENT');
    expect(await answer(sql`delete from referrals where id = ${referral.id}::uuid`)).toBe('done');
    const left = await rowsOf(
      sql`select 1 from referral_events where referral_id = ${referral.id}::uuid`,
    );
    expect(left).toEqual([]);
  });
});
