// The network's directory at Brussels scale, drawn last: 40,000 referrals whose histories follow
// the lifecycle of subgraphs/network (events numbered by version, milestones copied on the row,
// overdue answers expired at their deadline), 100,000 consents, and every person with the links
// the partner datasets recorded.
import {
  beneficiaries,
  beneficiaryLinks,
  consents,
  courses,
  partners,
  referralEvents,
  referrals,
  sites,
} from '../../../subgraphs/network/src/db/schema.ts';
import {
  FINAL_STATES,
  UNANSWERED_ENDS,
} from '../../../subgraphs/network/src/repositories/referrals.ts';
import type { Households } from './housing.ts';
import { nameId, plusDays, plusMinutes, type Random } from './random.ts';
import { rowsOf, type TableRows } from './rows.ts';
import {
  CATEGORY_OF,
  DATASET_NOW,
  HISTORY_START,
  PARTNERS,
  partnersOf,
  SCALE,
  staffOf,
  type Partner,
  type World,
} from './world.ts';

const REASONS = [
  "Pas d'ordinateur à la maison; souhaite faire ses démarches en ligne.",
  'Souhaite un groupe non mixte; a besoin de la garde d’enfants.',
  'Inscription scolaire à faire en ligne.',
  'Veut utiliser l’application de sa banque.',
  'Cherche un logement adapté à sa famille.',
  'Demande un accompagnement pour ses devoirs.',
];
const REASON_CODES = [
  'NO_CAPACITY',
  'NOT_ELIGIBLE',
  'COULD_NOT_CONTACT',
  'NO_LONGER_INTERESTED',
  'REFERRED_ELSEWHERE',
  'OTHER',
];
const AWAITING = new Set(['SENT', 'ACKNOWLEDGED']);
const FINAL = new Set<string>(FINAL_STATES);
const COORDINATION_ID = 'passerelle-coordination';

interface Step {
  status: string;
  at: Date;
  by: 'from' | 'to' | 'system';
  note?: string;
  reasonCode?: string;
}

/** A referral's path through its states, as the people involved would have moved it. */
function drawPath(r: Random, sentAt: Date, respondBy: Date): Step[] {
  const steps: Step[] = [{ status: 'SENT', at: sentAt, by: 'from' }];
  let at = sentAt;
  const step = (
    status: string,
    minDays: number,
    maxDays: number,
    by: Step['by'],
    extra: Partial<Step> = {},
  ) => {
    at = plusMinutes(
      at,
      Math.max(1, Math.round((minDays + r.next() * (maxDays - minDays)) * 1440)),
    );
    steps.push({ status, at, by, ...extra });
  };
  const deadlineDays = (respondBy.getTime() - sentAt.getTime()) / 86_400_000;
  if (!r.chance(0.86)) {
    if (r.chance(0.2)) step('WITHDRAWN', 0.5, 5, 'from');
  } else {
    step('ACKNOWLEDGED', 0.05, deadlineDays * 0.9, 'to');
    const answer = r.next();
    if (answer < 0.22) {
      step('DECLINED', 0.05, 2, 'to', {
        reasonCode: r.pick(REASON_CODES),
        note: 'Voir avec la coordination.',
      });
    } else if (answer < 0.95) {
      step('ACCEPTED', 0.05, 2, 'to', { note: 'Place réservée.' });
      const next = r.next();
      if (next < 0.05) step('WITHDRAWN', 1, 10, 'from');
      else if (next < 0.92) {
        step('IN_PROGRESS', 2, 20, 'to');
        if (r.chance(0.15)) {
          step('ON_HOLD', 5, 30, 'to', { note: 'Liste d’attente.' });
          if (r.chance(0.6)) step('IN_PROGRESS', 5, 40, 'to');
        }
        const end = r.next();
        if (steps.at(-1)!.status !== 'IN_PROGRESS') {
          // stays on hold
        } else if (end < 0.65) step('COMPLETED', 20, 120, 'to');
        else if (end < 0.8) step('FAILED', 10, 60, 'to', { reasonCode: r.pick(REASON_CODES) });
      }
    }
  }
  // Nothing after "now"; nobody answers past the deadline: the referral expired at it instead.
  let kept = steps.filter((s) => s.at <= DATASET_NOW);
  const late = kept.findIndex(
    (s, index) => index > 0 && AWAITING.has(kept[index - 1]!.status) && s.at > respondBy,
  );
  if (late > 0) kept = kept.slice(0, late);
  const last = kept.at(-1)!;
  if (AWAITING.has(last.status) && respondBy <= DATASET_NOW) {
    kept.push({
      status: 'EXPIRED',
      at: respondBy,
      by: 'system',
      note: 'No answer within the response deadline',
    });
  }
  return kept;
}

export function generateNetwork(world: World, households: Households): TableRows[] {
  const r = world.random;
  const byId = new Map(PARTNERS.map((partner) => [partner.id, partner]));
  const receivers = PARTNERS.filter((partner) => partner.kind !== 'COORDINATION');
  const receiverWeights = receivers.map((partner) =>
    partner.kind === 'TRAINING' ? 5 : partner.kind === 'PUBLIC_HELP_DESK' ? 4 : 1,
  );
  const coursesByPartner = new Map<string, string[]>();
  for (const course of world.courses) {
    coursesByPartner.set(course.partnerId, [
      ...(coursesByPartner.get(course.partnerId) ?? []),
      course.id,
    ]);
  }
  const known = [...world.links.keys()];

  const referralRows: (typeof referrals.$inferInsert)[] = [];
  const eventRows: (typeof referralEvents.$inferInsert)[] = [];
  const consentRows: (typeof consents.$inferInsert)[] = [];
  const consent = (
    key: string,
    beneficiaryId: string,
    recipient: string,
    categories: string[],
    purpose: 'REFERRAL' | 'FOLLOW_UP' | 'COORDINATION',
    recordedBy: string,
    recordedAt: Date,
    /** A referral's consent ends with it when the receiver never took the person on. */
    endedAt: Date | null = null,
  ) => {
    const lapse = r.next();
    consentRows.push({
      id: nameId(`consent:${key}`),
      beneficiaryId,
      recipientPartnerId: recipient,
      categories,
      purpose,
      method: r.weighted(['WRITTEN', 'ORAL_ATTESTED', 'DIGITAL'], [6, 2, 2]),
      noticeVersion: '2026-06',
      noticeLanguage: r.weighted(['fr', 'nl', 'ar', 'en'], [7, 2, 2, 1]),
      recordedBySub: staffOf(recordedBy),
      recordedByPartnerId: recordedBy,
      recordedAt,
      expiresAt: purpose !== 'REFERRAL' && lapse < 0.08 ? plusDays(recordedAt, 180) : null,
      withdrawnAt:
        purpose === 'REFERRAL' ? endedAt : lapse > 0.95 ? plusDays(recordedAt, 30) : null,
      withdrawnBySub:
        purpose === 'REFERRAL'
          ? endedAt && 'system:referral-closed'
          : lapse > 0.95
            ? staffOf(recordedBy)
            : null,
    });
  };

  const span = DATASET_NOW.getTime() - HISTORY_START.getTime() - 3_600_000;
  for (let index = 0; index < SCALE.referrals; index += 1) {
    const beneficiaryId = r.pick(known);
    const linked = [...world.links.get(beneficiaryId)!.keys()];
    const sender = byId.get(r.pick(linked))!;
    let receiver: Partner = sender;
    while (receiver.id === sender.id) receiver = r.weighted(receivers, receiverWeights);
    const sentAt = new Date(HISTORY_START.getTime() + Math.floor(r.next() * span));
    const respondBy = plusDays(sentAt, receiver.responseDeadlineDays);
    const path = drawPath(r, sentAt, respondBy);
    const id = nameId(`referral:${index}`);
    const last = path.at(-1)!;
    const reached = (status: string) => path.find((s) => s.status === status)?.at ?? null;
    const offered = coursesByPartner.get(receiver.id);
    const completedTraining = last.status === 'COMPLETED' && receiver.kind === 'TRAINING';
    referralRows.push({
      id,
      fromPartnerId: sender.id,
      toPartnerId: receiver.id,
      beneficiaryId,
      courseId: offered && r.chance(0.6) ? r.pick(offered) : null,
      reason: r.pick(REASONS),
      status: last.status,
      sentBy: staffOf(sender.id),
      sentAt,
      respondBy,
      updatedAt: last.at,
      version: path.length,
      reasonCode: last.reasonCode ?? null,
      outcome: last.status === 'COMPLETED' ? 'Objectif atteint.' : null,
      digCompProgress: completedTraining ? [{ competence: '2.1', fromLevel: 1, toLevel: 2 }] : [],
      acknowledgedAt: reached('ACKNOWLEDGED'),
      acceptedAt: reached('ACCEPTED'),
      closedAt: FINAL.has(last.status) ? last.at : null,
      consentId: nameId(`consent:referral:${index}`),
    });
    path.forEach((s, step) =>
      eventRows.push({
        id: nameId(`referral-event:${index}:${step + 1}`),
        referralId: id,
        at: s.at,
        version: step + 1,
        fromStatus: step === 0 ? null : path[step - 1]!.status,
        toStatus: s.status,
        actor:
          s.by === 'system' ? 'system:expiry' : staffOf(s.by === 'from' ? sender.id : receiver.id),
        actorPartnerId: s.by === 'from' ? sender.id : receiver.id,
        note: s.note ?? null,
      }),
    );
    const categories = [CATEGORY_OF[sender.kind] ?? 'identity', 'identity'].filter(
      (c, i, all) => all.indexOf(c) === i,
    );
    consent(
      `referral:${index}`,
      beneficiaryId,
      receiver.id,
      categories,
      'REFERRAL',
      sender.id,
      sentAt,
      UNANSWERED_ENDS.includes(last.status) && !reached('ACCEPTED') ? last.at : null,
    );
    world.link(beneficiaryId, sender.id, sentAt);
    const accepted = reached('ACCEPTED');
    if (accepted) world.link(beneficiaryId, receiver.id, accepted);
  }

  // The journey cohort let their housing agency follow their training, workshops and help-desk
  // visits, each consent recorded by the partner that holds them, and their child's homework club
  // (recorded by the school, where the guardian consents for the child).
  const agencies = partnersOf('HOUSING_AGENCY');
  const schools = partnersOf('HOMEWORK_SCHOOL');
  const followed = new Set(['training', 'women', 'helpdesk']);
  for (let cohort = 0; cohort < SCALE.journeyCohort; cohort += 1) {
    const agency = agencies[cohort % agencies.length]!.id;
    const person = world.people[cohort]!.id;
    const at = new Date('2026-09-15T10:00:00Z');
    for (const holder of world.links.get(person)?.keys() ?? []) {
      const category = CATEGORY_OF[byId.get(holder)!.kind];
      if (!category || !followed.has(category)) continue;
      consentRows.push(
        cohortConsent(`cohort:${cohort}:${holder}`, person, agency, [category], holder, at),
      );
    }
    const child = households.cohortChildren[cohort];
    if (child) {
      const school = schools[cohort % schools.length]!.id;
      consentRows.push(
        cohortConsent(`cohort-child:${cohort}`, child, agency, ['homework'], school, at),
      );
    }
  }

  const coordinationTarget = 10_000;
  const followUps = SCALE.consents - consentRows.length - coordinationTarget;
  const several = known.filter((id) => (world.links.get(id)?.size ?? 0) >= 2);
  for (let index = 0; index < followUps; index += 1) {
    const beneficiaryId = r.pick(several);
    const linked = [...world.links.get(beneficiaryId)!.keys()];
    const [recipient, recorder] = r.sample(linked, 2) as [string, string];
    const categories = [CATEGORY_OF[byId.get(recorder)!.kind] ?? 'identity', 'identity'];
    const recordedAt = world.instantBetween(HISTORY_START, plusDays(DATASET_NOW, -1));
    consent(
      `follow-up:${index}`,
      beneficiaryId,
      recipient,
      [...new Set(categories)],
      'FOLLOW_UP',
      recorder,
      recordedAt,
    );
  }
  const facets = ['housing', 'training', 'homework', 'women', 'helpdesk', 'identity'];
  for (let index = 0; index < coordinationTarget; index += 1) {
    const beneficiaryId = r.pick(known);
    const recorder = r.pick([...world.links.get(beneficiaryId)!.keys()]);
    const recordedAt = world.instantBetween(HISTORY_START, plusDays(DATASET_NOW, -1));
    consent(
      `coordination:${index}`,
      beneficiaryId,
      COORDINATION_ID,
      facets,
      'COORDINATION',
      recorder,
      recordedAt,
    );
  }

  // Everyone has a registering partner: people no partner recorded anything about came to one.
  const linkRows: (typeof beneficiaryLinks.$inferInsert)[] = [];
  const personRows = world.people.map((person) => {
    let links = world.links.get(person.id);
    if (!links) {
      world.link(person.id, r.pick(receivers).id, world.instantBetween(HISTORY_START, DATASET_NOW));
      links = world.links.get(person.id)!;
    }
    let registeredBy = '';
    let registeredAt = DATASET_NOW;
    for (const [partnerId, link] of links) {
      if (link.basis === 'REGISTERED') registeredBy = partnerId;
      if (link.since < registeredAt) registeredAt = link.since;
      linkRows.push({ beneficiaryId: person.id, partnerId, basis: link.basis, since: link.since });
    }
    return { ...person, registeredBy, registeredAt };
  });

  return [
    rowsOf(
      partners,
      PARTNERS.filter((partner) => partner.generated).map(
        ({ id, name, kind, responseDeadlineDays }) => ({
          id,
          name,
          kind,
          responseDeadlineDays,
          createdAt: new Date('2026-06-01T08:00:00Z'),
        }),
      ),
    ),
    rowsOf(sites, world.sites),
    rowsOf(beneficiaries, personRows),
    rowsOf(beneficiaryLinks, linkRows),
    rowsOf(
      courses,
      world.courses.map((course) => ({
        ...course,
        description: `${course.title}: en petit groupe, à son rythme.`,
        publishedBy: staffOf(course.partnerId),
        publishedAt: plusDays(new Date(`${course.startsOn}T08:00:00Z`), -45),
      })),
    ),
    rowsOf(consents, consentRows),
    rowsOf(referrals, referralRows),
    rowsOf(referralEvents, eventRows),
  ];
}

function cohortConsent(
  key: string,
  beneficiaryId: string,
  recipient: string,
  categories: string[],
  recordedBy: string,
  recordedAt: Date,
): typeof consents.$inferInsert {
  return {
    id: nameId(`consent:${key}`),
    beneficiaryId,
    recipientPartnerId: recipient,
    categories,
    purpose: 'FOLLOW_UP',
    method: 'WRITTEN',
    noticeVersion: '2026-06',
    noticeLanguage: 'fr',
    recordedBySub: staffOf(recordedBy),
    recordedByPartnerId: recordedBy,
    recordedAt,
    expiresAt: null,
    withdrawnAt: null,
    withdrawnBySub: null,
  };
}
