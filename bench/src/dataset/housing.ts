// Thirty housing agencies of about 800 dwellings each: households (head, partner, children),
// their tenancies and contact channels, 150 refurbished computers per agency with their loans,
// and the community rooms the agencies lend. The journey cohort live in the first dwellings.
import {
  communityRooms,
  contactChannels,
  dwellings,
  equipment,
  equipmentLoans,
  housingAgencies,
  tenancies,
} from '../../../subgraphs/housing/src/db/schema.ts';
import { isoDay, nameId, plusDays } from './random.ts';
import { rowsOf, type TableRows } from './rows.ts';
import {
  DATASET_NOW,
  partnersOf,
  SCALE,
  staffOf,
  STREETS,
  type Partner,
  type World,
} from './world.ts';

type Dwelling = typeof dwellings.$inferInsert & { id: string };

/** Who lives where: the head of each occupied dwelling and their household's children. */
export interface Households {
  /** person id → the agency they rent from and the head of their household. */
  tenantOf: Map<string, { agencyId: string; headId: string }>;
  /** Heads of household per agency, to lend computers to. */
  headsByAgency: Map<string, string[]>;
  /** The child of each cohort head, by cohort index. */
  cohortChildren: string[];
}

const ACCOMPANIMENTS = [
  'UNACCOMPANIED_MINOR',
  'REFUGEE',
  'FORMERLY_HOMELESS',
  'FORMER_DETAINEE',
  'OTHER',
];

function buildings(world: World, agency: Partner, index: number): Dwelling[] {
  const r = world.random;
  const rooms = world.sitesOf(agency.id).filter((site) => site.kind === 'COMMUNITY_ROOM');
  const [municipality, postalCode] = agency.commune;
  const list: Dwelling[] = [];
  for (let building = 0; list.length < SCALE.dwellingsPerAgency; building += 1) {
    // The generated agencies' first buildings hold their community rooms.
    const siteId = agency.generated && building < rooms.length ? rooms[building]!.id : null;
    const street = `${STREETS[(building + index) % STREETS.length]} ${10 + building * 2}`;
    const floors = r.int(3, 8);
    const perFloor = r.int(2, 5);
    for (
      let unit = 0;
      unit < floors * perFloor && list.length < SCALE.dwellingsPerAgency;
      unit += 1
    ) {
      const unitLabel = `${Math.floor(unit / perFloor)}.${String((unit % perFloor) + 1).padStart(2, '0')}`;
      list.push({
        id: nameId(`dwelling:${agency.id}:${street}:${unitLabel}`),
        agencyId: agency.id,
        siteId,
        street,
        postalCode,
        municipality,
        unitLabel,
        rooms: r.int(0, 4),
        createdAt: new Date('2026-06-01T08:00:00Z'),
      });
    }
  }
  return list;
}

export function generateHousing(world: World): { tables: TableRows[]; households: Households } {
  const r = world.random;
  const agencies = partnersOf('HOUSING_AGENCY');
  const households: Households = {
    tenantOf: new Map(),
    headsByAgency: new Map(),
    cohortChildren: [],
  };
  const dwellingRows: Dwelling[] = [];
  const tenancyRows: (typeof tenancies.$inferInsert)[] = [];
  const channelRows: (typeof contactChannels.$inferInsert)[] = [];
  const adults = world.adults.slice(SCALE.journeyCohort);
  // The cohort's children are set aside first, so that every cohort household has one.
  const cohortChildren = world.children.slice(0, SCALE.journeyCohort);
  const children = world.children.slice(SCALE.journeyCohort);
  let nextAdult = 0;
  let nextChild = 0;

  const tenancy = (
    agencyId: string,
    dwelling: Dwelling,
    personIndex: number,
    role: string,
    startsOn: string,
    endsOn: string | null,
    accompaniment: string | null,
  ) => {
    const beneficiaryId = world.people[personIndex]!.id;
    tenancyRows.push({
      id: nameId(`tenancy:${dwelling.id}:${beneficiaryId}:${startsOn}`),
      agencyId,
      dwellingId: dwelling.id,
      beneficiaryId,
      role,
      startsOn,
      endsOn,
      accompaniment,
      recordedBy: staffOf(agencyId),
      recordedAt: new Date(`${startsOn}T09:00:00Z`),
    });
    world.link(beneficiaryId, agencyId, new Date(`${startsOn}T09:00:00Z`));
    return beneficiaryId;
  };

  agencies.forEach((agency, agencyIndex) => {
    const own = buildings(world, agency, agencyIndex);
    dwellingRows.push(...own);
    const heads: string[] = [];
    households.headsByAgency.set(agency.id, heads);
    own.forEach((dwelling, dwellingIndex) => {
      // The cohort: one head per agency in each of its first dwellings, always with a child.
      const cohort = dwellingIndex * agencies.length + agencyIndex;
      const isCohort = dwellingIndex < SCALE.journeyCohort / agencies.length;
      if (!isCohort && (!r.chance(0.8) || nextAdult >= adults.length)) return;
      const headIndex = isCohort ? cohort : adults[nextAdult++]!;
      const startsOn = isoDay(world.instantBetween(new Date('2012-01-01'), new Date('2026-10-01')));
      const accompaniment = r.chance(0.2) ? r.pick(ACCOMPANIMENTS) : null;
      if (r.chance(0.1)) {
        // An earlier tenancy in another dwelling of the agency, ended the day before.
        const earlier = own[r.int(0, own.length - 1)]!;
        if (earlier.id !== dwelling.id) {
          const since = isoDay(plusDays(new Date(`${startsOn}T00:00:00Z`), -r.int(400, 2000)));
          const until = isoDay(plusDays(new Date(`${startsOn}T00:00:00Z`), -1));
          tenancy(agency.id, earlier, headIndex, 'HEAD', since, until, accompaniment);
        }
      }
      const headId = tenancy(agency.id, dwelling, headIndex, 'HEAD', startsOn, null, accompaniment);
      heads.push(headId);
      households.tenantOf.set(headId, { agencyId: agency.id, headId });
      if (!isCohort && r.chance(0.2) && nextAdult < adults.length) {
        const partnerId = tenancy(
          agency.id,
          dwelling,
          adults[nextAdult++]!,
          'PARTNER',
          startsOn,
          null,
          null,
        );
        households.tenantOf.set(partnerId, { agencyId: agency.id, headId });
      }
      const household = isCohort
        ? [cohortChildren[cohort]!]
        : r.chance(0.2)
          ? children.slice(nextChild, (nextChild += r.int(1, 2)))
          : [];
      for (const childIndex of household) {
        const childId = tenancy(agency.id, dwelling, childIndex, 'CHILD', startsOn, null, null);
        households.tenantOf.set(childId, { agencyId: agency.id, headId });
        if (isCohort) households.cohortChildren[cohort] = childId;
      }
      const person = world.people[headIndex]!;
      const kinds = r.sample(['SMS', 'WHATSAPP', 'PHONE', 'EMAIL'], r.int(1, 2));
      kinds.forEach((kind, index) => {
        const value =
          kind === 'EMAIL'
            ? `${person.givenName
                .toLowerCase()
                .normalize('NFD')
                .replace(/[^a-z]/g, '')}.${headIndex}@example.org`
            : `+3247${String(headIndex).padStart(7, '0')}`;
        channelRows.push({
          id: nameId(`contact:${agency.id}:${headId}:${kind}`),
          agencyId: agency.id,
          beneficiaryId: headId,
          kind,
          value,
          preferred: index === 0,
          createdAt: new Date(`${startsOn}T09:00:00Z`),
        });
      });
    });
  });

  const equipmentRows: (typeof equipment.$inferInsert)[] = [];
  const loanRows: (typeof equipmentLoans.$inferInsert)[] = [];
  const labels = {
    PC: 'Lenovo ThinkCentre M720q reconditionné, Windows 11, écran 22 pouces',
    LAPTOP: 'Dell Latitude 5490 reconditionné, Windows 11',
    TABLET: 'Samsung Galaxy Tab A8, avec housse clavier',
  } as const;
  for (const agency of agencies) {
    const heads = households.headsByAgency.get(agency.id) ?? [];
    for (let index = 0; index < SCALE.pcsPerAgency; index += 1) {
      const kind = index < 100 ? 'PC' : index < 130 ? 'LAPTOP' : 'TABLET';
      const assetTag = `BXL-${kind}-${String(index + 1).padStart(4, '0')}`;
      const acquiredOn = isoDay(
        world.instantBetween(new Date('2024-01-01'), new Date('2026-06-01')),
      );
      const retired = r.chance(0.05);
      const id = nameId(`equipment:${agency.id}:${assetTag}`);
      equipmentRows.push({
        id,
        agencyId: agency.id,
        kind,
        label: labels[kind],
        assetTag,
        serialNumber: `SN${nameId(assetTag + agency.id)
          .slice(0, 8)
          .toUpperCase()}`,
        acquiredOn,
        retiredOn: retired ? '2026-10-15' : null,
      });
      if (heads.length === 0) continue;
      const loan = (lentOn: string, dueOn: string, returnedOn: string | null) =>
        loanRows.push({
          id: nameId(`loan:${id}:${lentOn}`),
          agencyId: agency.id,
          equipmentId: id,
          beneficiaryId: r.pick(heads),
          lentOn,
          dueOn,
          returnedOn,
          returnCondition: returnedOn ? 'Bon état' : null,
          lentBy: staffOf(agency.id),
          returnedBy: returnedOn ? staffOf(agency.id) : null,
        });
      if (r.chance(0.5)) loan('2025-03-03', '2025-09-03', '2025-09-01');
      if (!retired && r.chance(0.55)) {
        const lentOn = isoDay(world.instantBetween(new Date('2026-05-01'), DATASET_NOW));
        loan(lentOn, isoDay(plusDays(new Date(`${lentOn}T00:00:00Z`), 180)), null);
      }
    }
  }
  for (const loan of loanRows)
    world.link(loan.beneficiaryId, loan.agencyId, new Date(`${loan.lentOn}T09:00:00Z`));

  const roomRows = world.sites
    .filter((site) => site.kind === 'COMMUNITY_ROOM')
    .map((site) => ({
      siteId: site.id,
      agencyId: site.partnerId,
      capacity: r.int(10, 40),
      equipment: 'Ordinateurs portables reconditionnés, vidéoprojecteur, Wi-Fi',
      accessible: r.chance(0.7),
      availability: 'Du lundi au vendredi de 9h à 18h',
    }));

  return {
    households,
    tables: [
      rowsOf(
        housingAgencies,
        agencies
          .filter((agency) => agency.generated)
          .map((agency) => ({
            id: agency.id,
            name: agency.name,
            joinedAt: new Date('2026-06-01T08:00:00Z'),
          })),
      ),
      rowsOf(dwellings, dwellingRows),
      rowsOf(tenancies, tenancyRows),
      rowsOf(contactChannels, channelRows),
      rowsOf(equipment, equipmentRows),
      rowsOf(equipmentLoans, loanRows),
      rowsOf(communityRooms, roomRows),
    ],
  };
}
