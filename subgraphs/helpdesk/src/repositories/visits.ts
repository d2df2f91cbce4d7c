// Visits to the help desks' drop-in sessions: a person's linked visits, the counts of a site over
// a period (computed in SQL, one grouped statement per batch of sites), and recording one visit.
import { anyOf, builtOnce } from '@passerelle/db';
import { and, between, desc, eq, sql } from 'drizzle-orm';
import type { HelpdeskDb } from '../db/index.ts';
import {
  visits,
  type NewVisitRow,
  type VisitOutcome,
  type VisitRow,
  type VisitTopic,
} from '../db/schema.ts';

/**
 * One line of a site's counts. Both `topic` and `outcome` set: the visits of that pair; only one
 * of them: every visit of that topic (or outcome); neither: every visit at the site.
 */
export interface VisitCountRow {
  siteId: string;
  topic: VisitTopic | null;
  outcome: VisitOutcome | null;
  visits: number;
  anonymousVisits: number;
}

/** A period of Brussels days, both included. */
export interface Period {
  from: string;
  to: string;
}

export type NewVisit = Omit<NewVisitRow, 'id' | 'recordedAt'>;

const visitsOfPeople = builtOnce((db: HelpdeskDb) =>
  db
    .select()
    .from(visits)
    .where(and(anyOf(visits.beneficiaryId, 'ids'), anyOf(visits.partnerId, 'partnerIds')))
    .orderBy(desc(visits.visitedOn), desc(visits.recordedAt), desc(visits.id))
    .prepare('helpdesk_visits_of_people'),
);
const countsOfSites = builtOnce((db: HelpdeskDb) =>
  db
    .select({
      siteId: visits.siteId,
      topic: sql<VisitTopic | null>`${visits.topic}`,
      outcome: sql<VisitOutcome | null>`${visits.outcome}`,
      visits: sql<number>`count(*)`.mapWith(Number),
      anonymousVisits: sql<number>`count(*) filter (where ${visits.beneficiaryId} is null)`.mapWith(
        Number,
      ),
    })
    .from(visits)
    .where(
      and(
        anyOf(visits.siteId, 'ids'),
        between(visits.visitedOn, sql.placeholder('from'), sql.placeholder('to')),
      ),
    )
    .groupBy(
      sql`grouping sets ((${visits.siteId}, ${visits.topic}, ${visits.outcome}), (${visits.siteId}, ${visits.topic}), (${visits.siteId}, ${visits.outcome}), (${visits.siteId}))`,
    )
    .prepare('helpdesk_visit_counts_of_sites'),
);

export class VisitRepository {
  constructor(private readonly db: HelpdeskDb) {}

  /** The visits linked to these people, recorded by these help desks; most recent first. */
  byBeneficiaryIds(ids: readonly string[], partnerIds: readonly string[]): Promise<VisitRow[]> {
    return visitsOfPeople(this.db).execute({ ids: [...ids], partnerIds: [...partnerIds] });
  }

  /**
   * Visits at these sites in the period, anonymous and linked alike: per topic and outcome, per
   * topic, per outcome and in all, in one statement (`grouping sets`). Topic and outcome are never
   * null in a row, so a null in the result marks a total over it.
   */
  countsBySiteIds(ids: readonly string[], period: Period): Promise<VisitCountRow[]> {
    return countsOfSites(this.db).execute({ ids: [...ids], from: period.from, to: period.to });
  }

  /**
   * Records a visit. With a client key already used by the help desk, nothing is written and the
   * visit recorded the first time comes back with `created: false`.
   */
  async record(visit: NewVisit): Promise<{ visit: VisitRow; created: boolean }> {
    const [created] = await this.db
      .insert(visits)
      .values(visit)
      .onConflictDoNothing({ target: [visits.partnerId, visits.clientKey] })
      .returning();
    if (created) return { visit: created, created: true };
    if (!visit.clientKey) throw new Error('a visit without a client key conflicted');
    const [existing] = await this.db
      .select()
      .from(visits)
      .where(and(eq(visits.partnerId, visit.partnerId), eq(visits.clientKey, visit.clientKey)));
    if (!existing) throw new Error('visit vanished after a conflict');
    return { visit: existing, created: false };
  }
}
