// The demo network's directory: partners, sites, people, their links, courses and referrals.
import * as demo from '@passerelle/demo-data';
import { count } from 'drizzle-orm';
import { FINAL_STATES } from '../repositories/referrals.ts';
import type { NetworkDb } from './index.ts';
import {
  beneficiaries,
  beneficiaryLinks,
  consents,
  courses,
  partners,
  referralEvents,
  referrals,
  sites,
} from './schema.ts';

export async function seedDemo(db: NetworkDb): Promise<void> {
  const [existing] = await db.select({ n: count() }).from(partners);
  if ((existing?.n ?? 0) > 0) return;

  await db.transaction(async (tx) => {
    await tx.insert(partners).values(Object.values(demo.partners));
    await tx.insert(sites).values(Object.values(demo.sites));
    const people = Object.values(demo.beneficiaries);
    const registeredAt = new Date('2026-06-01T08:00:00Z');
    await tx
      .insert(beneficiaries)
      .values(people.map(({ knownBy: _knownBy, ...person }) => ({ ...person, registeredAt })));
    await tx.insert(beneficiaryLinks).values(
      people.flatMap((person) => [
        {
          beneficiaryId: person.id,
          partnerId: person.registeredBy,
          basis: 'REGISTERED',
          since: registeredAt,
        },
        ...person.knownBy.map((partnerId) => ({
          beneficiaryId: person.id,
          partnerId,
          basis: 'REFERRAL',
          since: new Date('2026-09-01T08:00:00Z'),
        })),
      ]),
    );
    await tx.insert(consents).values(
      Object.values(demo.consents).map((consent: demo.DemoConsent) => ({
        id: consent.id,
        beneficiaryId: consent.beneficiaryId,
        recipientPartnerId: consent.recipientPartnerId,
        categories: consent.categories,
        purpose: consent.purpose,
        method: consent.method,
        noticeVersion: '2026-06',
        noticeLanguage: 'fr',
        recordedBySub: demo.staffOf(consent.recordedByPartnerId),
        recordedByPartnerId: consent.recordedByPartnerId,
        recordedAt: new Date(consent.recordedAt),
        expiresAt: consent.expiresAt ? new Date(consent.expiresAt) : null,
        withdrawnAt: consent.withdrawnAt ? new Date(consent.withdrawnAt) : null,
        withdrawnBySub: consent.withdrawnAt ? demo.staffOf(consent.recordedByPartnerId) : null,
      })),
    );
    await tx.insert(courses).values(
      Object.values(demo.courses).map((course) => ({
        ...course,
        publishedBy: 'demo',
        publishedAt: new Date('2026-06-15T08:00:00Z'),
      })),
    );
    const deadline = new Map<string, number>(
      Object.values(demo.partners).map((p) => [p.id, p.responseDeadlineDays]),
    );
    for (const referral of demo.referrals) {
      const last = referral.path.at(-1)!;
      // Steps of the same day stay in order, a minute apart.
      const at = referral.path.map(
        (step, index) =>
          new Date(demo.addDays(referral.sentAt, step.day).getTime() + index * 60_000),
      );
      const reached = (statuses: readonly string[]) => {
        const index = referral.path.findIndex((step) => statuses.includes(step.status));
        return index < 0 ? null : at[index]!;
      };
      await tx.insert(referrals).values({
        id: referral.id,
        fromPartnerId: referral.fromPartnerId,
        toPartnerId: referral.toPartnerId,
        beneficiaryId: referral.beneficiaryId,
        courseId: referral.courseId,
        reason: referral.reason,
        status: last.status,
        sentBy: 'demo',
        sentAt: new Date(referral.sentAt),
        respondBy: demo.addDays(referral.sentAt, deadline.get(referral.toPartnerId) ?? 14),
        updatedAt: at.at(-1)!,
        version: referral.path.length,
        reasonCode: last.reasonCode ?? null,
        outcome: last.outcome ?? null,
        digCompProgress: last.digCompProgress ?? [],
        acknowledgedAt: reached(['ACKNOWLEDGED']),
        acceptedAt: reached(['ACCEPTED']),
        closedAt: reached(FINAL_STATES),
      });
      await tx.insert(referralEvents).values(
        referral.path.map((step, index) => ({
          referralId: referral.id,
          version: index + 1,
          at: at[index]!,
          fromStatus: index === 0 ? null : referral.path[index - 1]!.status,
          toStatus: step.status,
          actor: 'demo',
          actorPartnerId: step.byPartner === 'from' ? referral.fromPartnerId : referral.toPartnerId,
          note: step.note ?? null,
        })),
      );
    }
  });
}
