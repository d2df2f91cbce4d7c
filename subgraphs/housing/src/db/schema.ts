// The social housing agencies' operations: their dwellings, tenancies, tenant contact channels,
// lent computers and community rooms. Every row carries the agency (partner id) it belongs to.
import { disclosureTable } from '@passerelle/service';
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** The agencies (network partners of kind HOUSING_AGENCY) this subgraph serves. */
export const housingAgencies = pgTable('housing_agencies', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A unit an agency rents from a private landlord and sublets to a household. */
export const dwellings = pgTable(
  'dwellings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: text('agency_id')
      .notNull()
      .references(() => housingAgencies.id, { onDelete: 'restrict' }),
    // The network Site of the building, when the building is one (no FK across subgraphs).
    siteId: uuid('site_id'),
    street: text('street').notNull(),
    postalCode: text('postal_code').notNull(),
    municipality: text('municipality').notNull(),
    unitLabel: text('unit_label').notNull(),
    rooms: integer('rooms').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Lets tenancies reference (dwelling, agency) so a tenancy can never cross agencies.
    unique('dwellings_id_agency_uq').on(t.id, t.agencyId),
    uniqueIndex('dwellings_address_unit_uq').on(t.agencyId, t.street, t.postalCode, t.unitLabel),
    index('dwellings_site_idx').on(t.siteId),
    check('dwellings_rooms_range', sql`${t.rooms} between 0 and 20`),
  ],
);

/**
 * A person living in a dwelling of the agency, as household head or member. At most one open
 * tenancy (no end date) per person and agency.
 */
export const tenancies = pgTable(
  'tenancies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: text('agency_id').notNull(),
    dwellingId: uuid('dwelling_id').notNull(),
    // Pseudonymous network id; erasing the person deletes their tenancies.
    beneficiaryId: uuid('beneficiary_id').notNull(),
    role: text('role').notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }),
    // The category of the specialised organisation accompanying the person, never its name.
    accompaniment: text('accompaniment'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'tenancies_dwelling_agency_fk',
      columns: [t.dwellingId, t.agencyId],
      foreignColumns: [dwellings.id, dwellings.agencyId],
    }).onDelete('restrict'),
    uniqueIndex('tenancies_open_uq')
      .on(t.agencyId, t.beneficiaryId)
      .where(sql`${t.endsOn} is null`),
    index('tenancies_beneficiary_idx').on(t.beneficiaryId),
    index('tenancies_dwelling_idx').on(t.dwellingId),
    check('tenancies_order', sql`${t.endsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
  ],
);

/** How the agency's tenant-relations team reaches a person; at most one preferred per agency. */
export const contactChannels = pgTable(
  'contact_channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: text('agency_id')
      .notNull()
      .references(() => housingAgencies.id, { onDelete: 'restrict' }),
    beneficiaryId: uuid('beneficiary_id').notNull(),
    kind: text('kind').notNull(),
    value: text('value').notNull(),
    preferred: boolean('preferred').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contact_channels_value_uq').on(t.agencyId, t.beneficiaryId, t.kind, t.value),
    uniqueIndex('contact_channels_preferred_uq')
      .on(t.agencyId, t.beneficiaryId)
      .where(sql`${t.preferred}`),
    index('contact_channels_beneficiary_idx').on(t.beneficiaryId),
  ],
);

/**
 * A refurbished device of the agency's lending stock. Whether it is lent is not stored here: it
 * is lent while an open loan exists, so erasing a borrower's loans can never leave it stuck.
 */
export const equipment = pgTable(
  'equipment',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: text('agency_id')
      .notNull()
      .references(() => housingAgencies.id, { onDelete: 'restrict' }),
    kind: text('kind').notNull(),
    label: text('label').notNull(),
    assetTag: text('asset_tag').notNull(),
    serialNumber: text('serial_number'),
    acquiredOn: date('acquired_on', { mode: 'string' }),
    retiredOn: date('retired_on', { mode: 'string' }),
  },
  (t) => [
    unique('equipment_id_agency_uq').on(t.id, t.agencyId),
    uniqueIndex('equipment_asset_tag_uq').on(t.agencyId, t.assetTag),
    index('equipment_agency_kind_idx').on(t.agencyId, t.kind),
  ],
);

/** One device lent to one person; at most one open loan (not returned) per device. */
export const equipmentLoans = pgTable(
  'equipment_loans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: text('agency_id').notNull(),
    equipmentId: uuid('equipment_id').notNull(),
    // Pseudonymous network id; erasing the person deletes their loans (the device becomes free).
    beneficiaryId: uuid('beneficiary_id').notNull(),
    lentOn: date('lent_on', { mode: 'string' }).notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    returnedOn: date('returned_on', { mode: 'string' }),
    returnCondition: text('return_condition'),
    lentBy: text('lent_by').notNull(),
    returnedBy: text('returned_by'),
  },
  (t) => [
    foreignKey({
      name: 'equipment_loans_equipment_agency_fk',
      columns: [t.equipmentId, t.agencyId],
      foreignColumns: [equipment.id, equipment.agencyId],
    }).onDelete('restrict'),
    uniqueIndex('equipment_loans_open_uq')
      .on(t.equipmentId)
      .where(sql`${t.returnedOn} is null`),
    index('equipment_loans_beneficiary_idx').on(t.beneficiaryId),
    index('equipment_loans_equipment_idx').on(t.equipmentId, t.lentOn),
    check('equipment_loans_due_order', sql`${t.dueOn} is null or ${t.dueOn} >= ${t.lentOn}`),
    check(
      'equipment_loans_return_order',
      sql`${t.returnedOn} is null or ${t.returnedOn} >= ${t.lentOn}`,
    ),
  ],
);

/** A room in one of the agency's buildings that it lends to other partners (a network Site). */
export const communityRooms = pgTable(
  'community_rooms',
  {
    siteId: uuid('site_id').primaryKey(),
    agencyId: text('agency_id')
      .notNull()
      .references(() => housingAgencies.id, { onDelete: 'restrict' }),
    capacity: integer('capacity').notNull(),
    equipment: text('equipment').notNull(),
    accessible: boolean('accessible').notNull(),
    availability: text('availability').notNull(),
  },
  (t) => [
    index('community_rooms_agency_idx').on(t.agencyId),
    check('community_rooms_capacity_range', sql`${t.capacity} between 1 and 500`),
  ],
);

/**
 * Every disclosure of a person's housing facet to a viewer outside the agencies, under a consent
 * (never the values).
 */
export const disclosures = disclosureTable();

export type HousingAgencyRow = typeof housingAgencies.$inferSelect;
export type DwellingRow = typeof dwellings.$inferSelect;
export type TenancyRow = typeof tenancies.$inferSelect;
export type ContactChannelRow = typeof contactChannels.$inferSelect;
export type EquipmentRow = typeof equipment.$inferSelect;
export type EquipmentLoanRow = typeof equipmentLoans.$inferSelect;
export type CommunityRoomRow = typeof communityRooms.$inferSelect;
