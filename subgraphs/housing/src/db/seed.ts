// The demo agencies AIS Quartiers (Saint-Gilles) and AIS Iris (Schaerbeek): their dwellings,
// including the 130-unit building of rue Jourdan, tenancies, contact channels, lending stock,
// loans and community rooms.
import * as demo from '@passerelle/demo-data';
import { count } from 'drizzle-orm';
import type { HousingDb } from './index.ts';
import {
  communityRooms,
  contactChannels,
  dwellings,
  equipment,
  equipmentLoans,
  housingAgencies,
  tenancies,
} from './schema.ts';

const { beneficiaries: B, partners: P, sites: S, staff } = demo;

interface Building {
  key: string;
  agencyId: string;
  siteId: string | null;
  street: string;
  postalCode: string;
  municipality: string;
}

const dwellingId = (building: string, unit: string) =>
  demo.demoId(`housing:dwelling:${building}:${unit}`);

const dwelling = (building: Building, unitLabel: string, rooms: number) => ({
  id: dwellingId(building.key, unitLabel),
  agencyId: building.agencyId,
  siteId: building.siteId,
  street: building.street,
  postalCode: building.postalCode,
  municipality: building.municipality,
  unitLabel,
  rooms,
  createdAt: new Date('2026-06-01T08:00:00Z'),
});

/** A building of `floors` floors (from the ground floor) with `perFloor` units each. */
function building(at: Building, floors: number, perFloor: number, roomsByUnit: number[]) {
  return Array.from({ length: floors * perFloor }, (_, index) => {
    const floor = Math.floor(index / perFloor);
    const unit = (index % perFloor) + 1;
    return dwelling(at, `${floor}.${String(unit).padStart(2, '0')}`, roomsByUnit[unit - 1] ?? 1);
  });
}

const saintGilles = { postalCode: '1060', municipality: 'Saint-Gilles' };
const schaerbeek = { postalCode: '1030', municipality: 'Schaerbeek' };
const jourdan: Building = {
  key: 'jourdan-151',
  agencyId: P.aisQuartiers.id,
  siteId: S.salleJourdan.id,
  street: 'Rue Jourdan 151',
  ...saintGilles,
};
const forest: Building = {
  key: 'forest-45',
  agencyId: P.aisQuartiers.id,
  siteId: null,
  street: 'Chaussée de Forest 45',
  ...saintGilles,
};
const source: Building = {
  key: 'source-8',
  agencyId: P.aisQuartiers.id,
  siteId: null,
  street: 'Rue de la Source 8',
  ...saintGilles,
};
const tilleuls: Building = {
  key: 'tilleuls-12',
  agencyId: P.aisIris.id,
  siteId: S.salleTilleuls.id,
  street: 'Rue des Tilleuls 12',
  ...schaerbeek,
};
const bertrand: Building = {
  key: 'bertrand-58',
  agencyId: P.aisIris.id,
  siteId: null,
  street: 'Avenue Louis Bertrand 58',
  ...schaerbeek,
};
const royale: Building = {
  key: 'royale-sainte-marie-140',
  agencyId: P.aisIris.id,
  siteId: null,
  street: 'Rue Royale-Sainte-Marie 140',
  ...schaerbeek,
};
const josaphat: Building = {
  key: 'josaphat-31',
  agencyId: P.aisIris.id,
  siteId: null,
  street: 'Rue Josaphat 31',
  ...schaerbeek,
};

export async function seedDemo(db: HousingDb): Promise<void> {
  const [existing] = await db.select({ n: count() }).from(housingAgencies);
  if ((existing?.n ?? 0) > 0) return;

  await db.transaction(async (tx) => {
    await tx.insert(housingAgencies).values([
      {
        id: P.aisQuartiers.id,
        name: P.aisQuartiers.name,
        joinedAt: new Date('2026-06-01T08:00:00Z'),
      },
      { id: P.aisIris.id, name: P.aisIris.name, joinedAt: new Date('2026-06-01T08:00:00Z') },
    ]);

    await tx.insert(dwellings).values([
      // Thirteen floors of ten units: studios to four-bedroom flats.
      ...building(jourdan, 13, 10, [0, 1, 1, 2, 2, 3, 1, 2, 3, 4]),
      dwelling(forest, '2e étage', 1),
      dwelling(source, '1er étage', 3),
      ...building(tilleuls, 4, 3, [1, 2, 3]),
      dwelling(bertrand, 'Boîte 2', 1),
      dwelling(royale, '3e étage', 1),
      dwelling(josaphat, 'Rez-de-chaussée', 2),
    ]);

    const tenancy = (
      person: demo.DemoBeneficiary,
      at: Building,
      unit: string,
      role: string,
      startsOn: string,
      endsOn: string | null = null,
      accompaniment: string | null = null,
    ) => ({
      id: demo.demoId(`housing:tenancy:${person.id}:${startsOn}`),
      agencyId: at.agencyId,
      dwellingId: dwellingId(at.key, unit),
      beneficiaryId: person.id,
      role,
      startsOn,
      endsOn,
      accompaniment,
      recordedBy: at.agencyId === P.aisQuartiers.id ? staff.aisQuartiers : staff.aisIris,
      recordedAt: new Date(`${startsOn}T09:00:00Z`),
    });
    await tx
      .insert(tenancies)
      .values([
        tenancy(B.amina, jourdan, '4.05', 'HEAD', '2024-03-01'),
        tenancy(B.yassin, jourdan, '4.05', 'CHILD', '2024-03-01'),
        tenancy(
          B.jean,
          forest,
          '2e étage',
          'HEAD',
          '2016-05-01',
          '2019-09-30',
          'FORMERLY_HOMELESS',
        ),
        tenancy(B.jean, jourdan, '1.02', 'HEAD', '2019-10-01', null, 'FORMERLY_HOMELESS'),
        tenancy(B.marta, tilleuls, '2.02', 'HEAD', '2022-07-01'),
        tenancy(B.tigist, bertrand, 'Boîte 2', 'HEAD', '2025-11-01', null, 'REFUGEE'),
        tenancy(B.pieter, royale, '3e étage', 'HEAD', '2017-02-01'),
      ]);

    const channel = (
      person: demo.DemoBeneficiary,
      agencyId: string,
      kind: string,
      value: string,
      preferred = false,
    ) => ({
      id: demo.demoId(`housing:contact:${person.id}:${kind}:${value}`),
      agencyId,
      beneficiaryId: person.id,
      kind,
      value,
      preferred,
      createdAt: new Date('2026-06-01T08:00:00Z'),
    });
    const q = P.aisQuartiers.id;
    const i = P.aisIris.id;
    await tx
      .insert(contactChannels)
      .values([
        channel(B.amina, q, 'WHATSAPP', '+32470123456', true),
        channel(B.amina, q, 'SMS', '+32470123456'),
        channel(B.jean, q, 'PHONE', '+3225370412', true),
        channel(B.marta, i, 'SMS', '+32485220198', true),
        channel(B.marta, i, 'EMAIL', 'marta.kowalska@example.org'),
        channel(B.tigist, i, 'WHATSAPP', '+32466310577', true),
        channel(B.pieter, i, 'PHONE', '+32476904312', true),
        channel(B.pieter, i, 'EMAIL', 'pieter.janssens@example.org'),
      ]);

    const device = (
      agencyId: string,
      assetTag: string,
      kind: string,
      label: string,
      serialNumber: string,
      acquiredOn: string,
      retiredOn: string | null = null,
    ) => ({
      id: demo.demoId(`housing:equipment:${assetTag}`),
      agencyId,
      kind,
      label,
      assetTag,
      serialNumber,
      acquiredOn,
      retiredOn,
    });
    const thinkCentre = 'Lenovo ThinkCentre M720q reconditionné, Windows 11, écran 22 pouces';
    const eliteDesk = 'HP EliteDesk 800 G4 reconditionné, Windows 11, écran 24 pouces';
    await tx
      .insert(equipment)
      .values([
        device(q, 'AISQ-PC-001', 'PC', thinkCentre, 'MJ0C4R71', '2026-03-02'),
        device(q, 'AISQ-PC-002', 'PC', thinkCentre, 'MJ0C4R88', '2026-03-02'),
        device(q, 'AISQ-PC-003', 'PC', thinkCentre, 'MJ0C4S05', '2026-03-02'),
        device(q, 'AISQ-PC-004', 'PC', thinkCentre, 'MJ0C4S12', '2026-03-02'),
        device(q, 'AISQ-PC-005', 'PC', thinkCentre, 'MJ0C4S19', '2026-03-02', '2026-10-15'),
        device(
          q,
          'AISQ-LT-001',
          'LAPTOP',
          'Dell Latitude 5490 reconditionné, Windows 11',
          '7GHT2Q2',
          '2026-05-18',
        ),
        device(
          q,
          'AISQ-TB-001',
          'TABLET',
          'Samsung Galaxy Tab A8, avec housse clavier',
          'R9PT60XK4QA',
          '2026-05-18',
        ),
        device(i, 'AISI-PC-001', 'PC', eliteDesk, 'CZC8137QW1', '2026-02-09'),
        device(i, 'AISI-PC-002', 'PC', eliteDesk, 'CZC8137QX4', '2026-02-09'),
        device(i, 'AISI-PC-003', 'PC', eliteDesk, 'CZC8137R02', '2026-02-09'),
        device(
          i,
          'AISI-LT-001',
          'LAPTOP',
          'Lenovo ThinkPad T480 reconditionné, Ubuntu 24.04',
          'PF1KX9Z3',
          '2026-04-20',
        ),
        device(
          i,
          'AISI-LT-002',
          'LAPTOP',
          'Lenovo ThinkPad T480 reconditionné, Windows 11',
          'PF1KXA07',
          '2026-04-20',
        ),
        device(
          i,
          'AISI-TB-001',
          'TABLET',
          'Apple iPad 9e génération reconditionné',
          'DMPH4K2LQ1GC',
          '2026-04-20',
        ),
      ]);

    const loan = (
      person: demo.DemoBeneficiary,
      agencyId: string,
      assetTag: string,
      lentOn: string,
      dueOn: string | null,
      returned: { on: string; condition: string } | null = null,
    ) => {
      const by = agencyId === q ? staff.aisQuartiers : staff.aisIris;
      return {
        id: demo.demoId(`housing:loan:${assetTag}:${lentOn}`),
        agencyId,
        equipmentId: demo.demoId(`housing:equipment:${assetTag}`),
        beneficiaryId: person.id,
        lentOn,
        dueOn,
        returnedOn: returned?.on ?? null,
        returnCondition: returned?.condition ?? null,
        lentBy: by,
        returnedBy: returned ? by : null,
      };
    };
    await tx.insert(equipmentLoans).values([
      loan(B.amina, q, 'AISQ-PC-001', '2026-08-12', '2027-02-12'),
      loan(B.jean, q, 'AISQ-PC-002', '2026-08-22', '2026-11-30', {
        on: '2026-11-16',
        condition: 'Bon état; clavier remplacé. Jean a acheté son propre ordinateur.',
      }),
      loan(B.marta, i, 'AISI-LT-001', '2026-09-21', '2027-03-21'),
      // Overdue: Pieter was due to bring it back on 10 November.
      loan(B.pieter, i, 'AISI-PC-001', '2026-06-10', '2026-11-10'),
    ]);

    await tx.insert(communityRooms).values([
      {
        siteId: S.salleJourdan.id,
        agencyId: q,
        capacity: 20,
        equipment:
          '10 ordinateurs portables reconditionnés, vidéoprojecteur, Wi-Fi, tableau blanc, coin enfants',
        accessible: true,
        availability: 'Du lundi au vendredi de 9h à 18h; le samedi matin sur réservation',
      },
      {
        siteId: S.salleTilleuls.id,
        agencyId: i,
        capacity: 12,
        equipment: 'Grand écran, Wi-Fi, 6 tablettes, imprimante',
        accessible: false,
        availability: 'Mardi, jeudi et vendredi de 9h à 17h (premier étage sans ascenseur)',
      },
    ]);
  });
}
