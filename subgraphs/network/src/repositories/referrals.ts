import { decodeCursor, encodeCursor } from '@passerelle/db';
import { badInput, toPage, type Page } from '@passerelle/service';
import { and, asc, count, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { NetworkDb } from '../db/index.ts';
import {
  referralEvents,
  referrals,
  type ReferralEventRow,
  type ReferralRow,
} from '../db/schema.ts';

export interface ReferralFilter {
  fromPartnerId?: string | null;
  toPartnerId?: string | null;
  status?: readonly string[] | null;
  beneficiaryId?: string | null;
  sentAfter?: Date | null;
  sentBefore?: Date | null;
}

const cursorOf = (row: ReferralRow) => encodeCursor([row.sentAt.toISOString(), row.id]);

export class ReferralRepository {
  constructor(private readonly db: NetworkDb) {}

  byIds(ids: readonly string[]): Promise<ReferralRow[]> {
    return this.db
      .select()
      .from(referrals)
      .where(inArray(referrals.id, [...ids]));
  }

  eventsByReferralIds(ids: readonly string[]): Promise<ReferralEventRow[]> {
    return this.db
      .select()
      .from(referralEvents)
      .where(inArray(referralEvents.referralId, [...ids]))
      .orderBy(asc(referralEvents.at), asc(referralEvents.id));
  }

  async page(
    filter: ReferralFilter,
    first: number,
    after?: string | null,
  ): Promise<Page<ReferralRow>> {
    const where: SQL[] = [];
    if (filter.fromPartnerId) where.push(eq(referrals.fromPartnerId, filter.fromPartnerId));
    if (filter.toPartnerId) where.push(eq(referrals.toPartnerId, filter.toPartnerId));
    if (filter.status?.length) where.push(inArray(referrals.status, [...filter.status]));
    if (filter.beneficiaryId) where.push(eq(referrals.beneficiaryId, filter.beneficiaryId));
    if (filter.sentAfter) where.push(gte(referrals.sentAt, filter.sentAfter));
    if (filter.sentBefore) where.push(lt(referrals.sentAt, filter.sentBefore));
    const matching = and(...where);
    const pageWhere = [...where];
    if (after) {
      const key = decodeCursor(after, 2);
      if (!key) throw badInput('after is not a cursor of this list', 'after');
      pageWhere.push(
        sql`(${referrals.sentAt}, ${referrals.id}) < (${key[0]}::timestamptz, ${key[1]}::uuid)`,
      );
    }
    const rows = await this.db
      .select()
      .from(referrals)
      .where(and(...pageWhere))
      .orderBy(desc(referrals.sentAt), desc(referrals.id))
      .limit(first + 1);
    return toPage(rows, first, cursorOf, async () => {
      const [total] = await this.db.select({ n: count() }).from(referrals).where(matching);
      return total?.n ?? 0;
    });
  }
}
