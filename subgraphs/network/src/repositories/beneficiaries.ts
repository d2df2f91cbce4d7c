import { anyOf, builtOnce, decodeCursor, encodeCursor } from '@passerelle/db';
import { badInput, isUuid, toPage, type Page } from '@passerelle/service';
import {
  and,
  arrayContains,
  asc,
  count,
  eq,
  exists,
  getTableColumns,
  ilike,
  or,
  sql,
  type SQL,
  type SQLWrapper,
} from 'drizzle-orm';
import type { Clock, Viewer } from '@passerelle/service';
import type { NetworkDb } from '../db/index.ts';
import {
  beneficiaries,
  beneficiaryLinks,
  consents,
  type BeneficiaryLinkRow,
  type BeneficiaryRow,
} from '../db/schema.ts';
import { concernOf, concerning, instant, NOW, type Concern } from './consents.ts';
import { sameRetry, type Registered, type Retry } from './retries.ts';

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

// The cursor names the person by id only, never by the names the list is sorted on: the names
// are disclosed by the fields that show them, where they are logged.
const cursorOf = (row: BeneficiaryRow) => encodeCursor([row.id]);

/** A person as a viewer reads them, and whether the viewer's partner is linked to them. */
export type SeenBeneficiary = BeneficiaryRow & {
  /** False when the viewer sees the person under a consent only: a disclosure to log. */
  linked: boolean;
};

/** Whether `partner` (the viewer's partner, or a placeholder for it) is linked to the person. */
function linkedTo(db: NetworkDb, partner: string | SQLWrapper): SQL {
  return exists(
    db
      .select({ one: sql`1` })
      .from(beneficiaryLinks)
      .where(
        and(
          eq(beneficiaryLinks.beneficiaryId, beneficiaries.id),
          eq(beneficiaryLinks.partnerId, partner),
        ),
      ),
  );
}

/**
 * Who a viewer may see in the directory (DESIGN.md §4.3): a partner's people are those it is
 * linked to (registered, accepted a referral) or that a live consent names it for; coordinators
 * see people who gave a coordination consent. Nobody else sees anyone (`concernOf` is null).
 * `partner` is the viewer's partner, or a placeholder for it; `now` the instant consents are live
 * at.
 */
function visibleTo(
  db: NetworkDb,
  concern: Concern,
  partner: string | SQLWrapper,
  now: SQLWrapper,
): SQL {
  const byConsent = exists(
    db
      .select({ one: sql`1` })
      .from(consents)
      .where(and(eq(consents.beneficiaryId, beneficiaries.id), concerning(concern, partner, now))),
  );
  if (concern === 'coordination') return byConsent;
  return or(linkedTo(db, partner), byConsent)!;
}

/** A person's columns, and whether the viewer's partner is linked to them (coordinators never). */
function seenColumns(db: NetworkDb, concern: Concern, partner: string | SQLWrapper) {
  return {
    ...getTableColumns(beneficiaries),
    linked:
      concern === 'coordination' ? sql<boolean>`false` : sql<boolean>`${linkedTo(db, partner)}`,
  };
}

const visibleByIds = {
  coordination: builtOnce((db: NetworkDb) =>
    db
      .select(seenColumns(db, 'coordination', ''))
      .from(beneficiaries)
      .where(and(anyOf(beneficiaries.id, 'ids'), visibleTo(db, 'coordination', '', NOW)))
      .prepare('network_beneficiaries_by_ids_for_coordination'),
  ),
  partner: builtOnce((db: NetworkDb) =>
    db
      .select(seenColumns(db, 'partner', sql.placeholder('partner')))
      .from(beneficiaries)
      .where(
        and(
          anyOf(beneficiaries.id, 'ids'),
          visibleTo(db, 'partner', sql.placeholder('partner'), NOW),
        ),
      )
      .prepare('network_beneficiaries_by_ids_for_partner'),
  ),
};
const linksOfPeople = builtOnce((db: NetworkDb) =>
  db
    .select()
    .from(beneficiaryLinks)
    .where(anyOf(beneficiaryLinks.beneficiaryId, 'ids'))
    .orderBy(asc(beneficiaryLinks.since))
    .prepare('network_links_of_people'),
);

export class BeneficiaryRepository {
  constructor(
    private readonly db: NetworkDb,
    private readonly clock: Clock,
  ) {}

  byIds(ids: readonly string[], viewer: Viewer): Promise<SeenBeneficiary[]> {
    const concern = concernOf(viewer);
    if (!concern) return Promise.resolve([]);
    return visibleByIds[concern](this.db).execute({
      ids: [...ids],
      partner: viewer.partner,
      now: this.clock.now().toISOString(),
    });
  }

  linksByBeneficiaryIds(ids: readonly string[]): Promise<BeneficiaryLinkRow[]> {
    return linksOfPeople(this.db).execute({ ids: [...ids] });
  }

  async page(
    viewer: Viewer,
    filter: BeneficiaryFilter,
    first: number,
    after?: string | null,
  ): Promise<Page<SeenBeneficiary>> {
    const concern = concernOf(viewer);
    if (!concern) return toPage<SeenBeneficiary>([], first, cursorOf, () => Promise.resolve(0));
    const partner = viewer.partner ?? '';
    const now = instant(this.clock.now());
    const where: SQL[] = [visibleTo(this.db, concern, partner, now)];
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
      const [id] = decodeCursor(after, 1) ?? [];
      if (typeof id !== 'string' || !isUuid(id)) {
        throw badInput('after is not a cursor of this list', 'after');
      }
      // The page goes on after that person's place in the order, while the viewer sees them: a
      // cursor cannot place someone the viewer does not see, and a list whose cursor person left
      // it (a consent withdrawn between pages) says so rather than end early.
      const [from] = await this.db
        .select({ familyName: beneficiaries.familyName, givenName: beneficiaries.givenName })
        .from(beneficiaries)
        .where(and(eq(beneficiaries.id, id), visibleTo(this.db, concern, partner, now)));
      if (!from) {
        throw badInput('after points at someone no longer in this list: start again', 'after');
      }
      pageWhere.push(
        sql`(${beneficiaries.familyName}, ${beneficiaries.givenName}, ${beneficiaries.id}) > (${from.familyName}, ${from.givenName}, ${id}::uuid)`,
      );
    }
    const rows = await this.db
      .select(seenColumns(this.db, concern, partner))
      .from(beneficiaries)
      .where(and(...pageWhere))
      .orderBy(asc(beneficiaries.familyName), asc(beneficiaries.givenName), asc(beneficiaries.id))
      .limit(first + 1);
    return toPage(rows, first, cursorOf, async () => {
      const [total] = await this.db.select({ n: count() }).from(beneficiaries).where(matching);
      return total?.n ?? 0;
    });
  }

  /**
   * Registers a person and links them to the registering partner, in one transaction. A retried
   * registration (same partner and idempotency key) returns the person first registered when the
   * input is the same, and `mismatch` when it differs; concurrent retries meet at the unique
   * index, and only one registers.
   */
  async register(
    person: NewBeneficiary,
    partnerId: string,
    retry: Retry | null,
  ): Promise<Registered<SeenBeneficiary>> {
    const row = await this.db.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(beneficiaries)
        .values({
          ...person,
          registeredBy: partnerId,
          idempotencyKey: retry?.key,
          payloadHash: retry?.hash,
        })
        .onConflictDoNothing({ target: [beneficiaries.registeredBy, beneficiaries.idempotencyKey] })
        .returning();
      if (!inserted) return null;
      await tx.insert(beneficiaryLinks).values({
        beneficiaryId: inserted.id,
        partnerId,
        basis: 'REGISTERED',
        since: inserted.registeredAt,
      });
      return inserted;
    });
    if (row) return { kind: 'created', row: { ...row, linked: true } };
    if (!retry) throw new Error('a registration without a key conflicted');
    const [first] = await this.db
      .select({ ...getTableColumns(beneficiaries), linked: sql<boolean>`true` })
      .from(beneficiaries)
      .where(
        and(eq(beneficiaries.registeredBy, partnerId), eq(beneficiaries.idempotencyKey, retry.key)),
      );
    return sameRetry(first, retry);
  }
}
