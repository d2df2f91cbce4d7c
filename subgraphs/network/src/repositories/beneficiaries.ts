import { decodeCursor, encodeCursor } from '@passerelle/db';
import { badInput, toPage, type Page } from '@passerelle/service';
import {
  and,
  arrayContains,
  asc,
  count,
  eq,
  exists,
  ilike,
  inArray,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { Viewer } from '@passerelle/service';
import type { NetworkDb } from '../db/index.ts';
import {
  beneficiaries,
  beneficiaryLinks,
  consents,
  type BeneficiaryLinkRow,
  type BeneficiaryRow,
} from '../db/schema.ts';
import { consentsConcerning } from './consents.ts';

export interface BeneficiaryFilter {
  name?: string | null;
  municipality?: string | null;
  knownBy?: string | null;
  language?: string | null;
}

export interface NewBeneficiary {
  givenName: string;
  familyName: string;
  birthYear: number | null;
  preferredLanguages: string[];
  municipality: string | null;
}

/** Escapes LIKE wildcards so a name is matched as typed. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const cursorOf = (row: BeneficiaryRow) => encodeCursor([row.familyName, row.givenName, row.id]);

export class BeneficiaryRepository {
  constructor(private readonly db: NetworkDb) {}

  /**
   * Who `viewer` may see in the directory (DESIGN.md §4.3): a partner's people are those it is
   * linked to (registered, accepted a referral) or that a live consent names it for;
   * coordinators see people who gave a coordination consent. Nobody else sees anyone.
   */
  visibleTo(viewer: Viewer): SQL {
    const concerning = consentsConcerning(viewer);
    const byConsent = concerning
      ? exists(
          this.db
            .select({ one: sql`1` })
            .from(consents)
            .where(and(eq(consents.beneficiaryId, beneficiaries.id), concerning)),
        )
      : undefined;
    const byLink =
      viewer.partner &&
      viewer.role !== 'coordinator' &&
      viewer.role !== 'beneficiary' &&
      viewer.role !== 'service'
        ? exists(
            this.db
              .select({ one: sql`1` })
              .from(beneficiaryLinks)
              .where(
                and(
                  eq(beneficiaryLinks.beneficiaryId, beneficiaries.id),
                  eq(beneficiaryLinks.partnerId, viewer.partner),
                ),
              ),
          )
        : undefined;
    return or(byLink, byConsent) ?? sql`false`;
  }

  byIds(ids: readonly string[], viewer: Viewer): Promise<BeneficiaryRow[]> {
    return this.db
      .select()
      .from(beneficiaries)
      .where(and(inArray(beneficiaries.id, [...ids]), this.visibleTo(viewer)));
  }

  linksByBeneficiaryIds(ids: readonly string[]): Promise<BeneficiaryLinkRow[]> {
    return this.db
      .select()
      .from(beneficiaryLinks)
      .where(inArray(beneficiaryLinks.beneficiaryId, [...ids]))
      .orderBy(asc(beneficiaryLinks.since));
  }

  async page(
    viewer: Viewer,
    filter: BeneficiaryFilter,
    first: number,
    after?: string | null,
  ): Promise<Page<BeneficiaryRow>> {
    const where: SQL[] = [this.visibleTo(viewer)];
    if (filter.name) {
      const pattern = likePattern(filter.name);
      where.push(
        or(ilike(beneficiaries.givenName, pattern), ilike(beneficiaries.familyName, pattern))!,
      );
    }
    if (filter.municipality) where.push(eq(beneficiaries.municipality, filter.municipality));
    if (filter.language)
      where.push(arrayContains(beneficiaries.preferredLanguages, [filter.language]));
    if (filter.knownBy) {
      where.push(
        exists(
          this.db
            .select({ one: sql`1` })
            .from(beneficiaryLinks)
            .where(
              and(
                eq(beneficiaryLinks.beneficiaryId, beneficiaries.id),
                eq(beneficiaryLinks.partnerId, filter.knownBy),
              ),
            ),
        ),
      );
    }
    const matching = and(...where);
    const pageWhere = [...where];
    if (after) {
      const key = decodeCursor(after, 3);
      if (!key) throw badInput('after is not a cursor of this list', 'after');
      pageWhere.push(
        sql`(${beneficiaries.familyName}, ${beneficiaries.givenName}, ${beneficiaries.id}) > (${key[0]}, ${key[1]}, ${key[2]}::uuid)`,
      );
    }
    const rows = await this.db
      .select()
      .from(beneficiaries)
      .where(and(...pageWhere))
      .orderBy(asc(beneficiaries.familyName), asc(beneficiaries.givenName), asc(beneficiaries.id))
      .limit(first + 1);
    return toPage(rows, first, cursorOf, async () => {
      const [total] = await this.db.select({ n: count() }).from(beneficiaries).where(matching);
      return total?.n ?? 0;
    });
  }

  /** Registers a person and links them to the registering partner, in one transaction. */
  register(person: NewBeneficiary, partnerId: string): Promise<BeneficiaryRow> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(beneficiaries)
        .values({ ...person, registeredBy: partnerId })
        .returning();
      if (!row) throw new Error('insert returned no row');
      await tx
        .insert(beneficiaryLinks)
        .values({ beneficiaryId: row.id, partnerId, basis: 'REGISTERED', since: row.registeredAt });
      return row;
    });
  }
}
