import { and, asc, count, inArray } from 'drizzle-orm';
import type { HousingDb } from '../db/index.ts';
import {
  communityRooms,
  dwellings,
  type CommunityRoomRow,
  type DwellingRow,
} from '../db/schema.ts';

export interface DwellingCount {
  siteId: string;
  dwellings: number;
}

/** Dwellings and the community rooms of the agencies' buildings. */
export class BuildingRepository {
  constructor(private readonly db: HousingDb) {}

  dwellingsByIds(ids: readonly string[]): Promise<DwellingRow[]> {
    return this.db
      .select()
      .from(dwellings)
      .where(inArray(dwellings.id, [...ids]));
  }

  /** Dwellings per building (network site), counted in one grouped statement. */
  async dwellingCounts(
    siteIds: readonly string[],
    agencyIds: readonly string[],
  ): Promise<DwellingCount[]> {
    const rows = await this.db
      .select({ siteId: dwellings.siteId, dwellings: count() })
      .from(dwellings)
      .where(
        and(inArray(dwellings.siteId, [...siteIds]), inArray(dwellings.agencyId, [...agencyIds])),
      )
      .groupBy(dwellings.siteId);
    return rows.flatMap((row) =>
      row.siteId ? [{ siteId: row.siteId, dwellings: row.dwellings }] : [],
    );
  }

  roomsBySiteIds(
    siteIds: readonly string[],
    agencyIds: readonly string[],
  ): Promise<CommunityRoomRow[]> {
    return this.db
      .select()
      .from(communityRooms)
      .where(
        and(
          inArray(communityRooms.siteId, [...siteIds]),
          inArray(communityRooms.agencyId, [...agencyIds]),
        ),
      );
  }

  rooms(agencyIds: readonly string[]): Promise<CommunityRoomRow[]> {
    return this.db
      .select()
      .from(communityRooms)
      .where(inArray(communityRooms.agencyId, [...agencyIds]))
      .orderBy(asc(communityRooms.agencyId), asc(communityRooms.siteId));
  }
}
