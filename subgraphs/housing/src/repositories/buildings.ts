import { anyOf, builtOnce } from '@passerelle/db';
import { and, asc, count } from 'drizzle-orm';
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

const dwellingsByIds = builtOnce((db: HousingDb) =>
  db.select().from(dwellings).where(anyOf(dwellings.id, 'ids')).prepare('housing_dwellings_by_ids'),
);
const dwellingCounts = builtOnce((db: HousingDb) =>
  db
    .select({ siteId: dwellings.siteId, dwellings: count() })
    .from(dwellings)
    .where(and(anyOf(dwellings.siteId, 'siteIds'), anyOf(dwellings.agencyId, 'agencyIds')))
    .groupBy(dwellings.siteId)
    .prepare('housing_dwelling_counts'),
);
const roomsBySiteIds = builtOnce((db: HousingDb) =>
  db
    .select()
    .from(communityRooms)
    .where(
      and(anyOf(communityRooms.siteId, 'siteIds'), anyOf(communityRooms.agencyId, 'agencyIds')),
    )
    .prepare('housing_rooms_by_site_ids'),
);
const roomsByAgencyIds = builtOnce((db: HousingDb) =>
  db
    .select()
    .from(communityRooms)
    .where(anyOf(communityRooms.agencyId, 'agencyIds'))
    .orderBy(asc(communityRooms.agencyId), asc(communityRooms.siteId))
    .prepare('housing_rooms_by_agency_ids'),
);

/** Dwellings and the community rooms of the agencies' buildings. */
export class BuildingRepository {
  constructor(private readonly db: HousingDb) {}

  dwellingsByIds(ids: readonly string[]): Promise<DwellingRow[]> {
    return dwellingsByIds(this.db).execute({ ids: [...ids] });
  }

  /** Dwellings per building (network site), counted in one grouped statement. */
  async dwellingCounts(
    siteIds: readonly string[],
    agencyIds: readonly string[],
  ): Promise<DwellingCount[]> {
    const rows = await dwellingCounts(this.db).execute({
      siteIds: [...siteIds],
      agencyIds: [...agencyIds],
    });
    return rows.flatMap((row) =>
      row.siteId ? [{ siteId: row.siteId, dwellings: row.dwellings }] : [],
    );
  }

  roomsBySiteIds(
    siteIds: readonly string[],
    agencyIds: readonly string[],
  ): Promise<CommunityRoomRow[]> {
    return roomsBySiteIds(this.db).execute({ siteIds: [...siteIds], agencyIds: [...agencyIds] });
  }

  rooms(agencyIds: readonly string[]): Promise<CommunityRoomRow[]> {
    return roomsByAgencyIds(this.db).execute({ agencyIds: [...agencyIds] });
  }
}
