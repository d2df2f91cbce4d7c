import {
  DateScalar,
  DateTimeScalar,
  disclosedFields,
  ErrorCode,
  facetRows,
  isUuid,
  PublicError,
  type FacetFields,
} from '@passerelle/service';
import type { HousingBeneficiaryFacet, Resolvers } from '../__generated__/resolvers-types.ts';
import { facetView, writableAgency } from '../access.ts';
import type { TenancyRow } from '../db/schema.ts';
import { today } from '../services/calendar.ts';
import { lendPc, returnPc } from '../services/loans.ts';
import { recordTenancy } from '../services/tenancies.ts';

/** The rows each field of the person's facet shows: `facetRows` reads only what is asked. */
const FACET_FIELDS = {
  currentTenancy: 'tenancies',
  tenancies: 'tenancies',
  contactChannels: 'contactChannels',
  preferredContactChannel: 'contactChannels',
  currentLoans: 'loans',
  pastLoans: 'loans',
} as const satisfies FacetFields<HousingBeneficiaryFacet, string>;

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Query: {
    housingEquipment: async (_, { status }, ctx) => {
      const [agencyId] = await ctx.visible('EQUIPMENT');
      return agencyId ? ctx.repos.equipment.stock(agencyId, status ?? null) : [];
    },
    housingCommunityRooms: async (_, __, ctx) => {
      const agencyIds = await ctx.visible('COMMUNITY_ROOM');
      return agencyIds.length ? ctx.repos.buildings.rooms(agencyIds) : [];
    },
  },
  Mutation: {
    lendPc: (_, { input }, ctx) => lendPc(ctx, input),
    returnPc: (_, { input }, ctx) => returnPc(ctx, input),
    recordTenancy: (_, { input }, ctx) => recordTenancy(ctx, input),
  },
  Beneficiary: {
    // Keep the consents network sent along (`@requires`): the facet decides from them.
    __resolveReference: (ref) => ({ id: ref.id, access: ref.access }),
    housing: async ({ id, access: grants }, _, ctx, info) => {
      // Decide before reading any row about the person: the answer must not tell whether an
      // agency knows them.
      const view = facetView(ctx.viewer, await ctx.servedAgencyIds(), grants);
      if (!isUuid(id)) return null;
      const { loaders } = ctx;
      const rows = await facetRows(ctx, info, FACET_FIELDS, {
        tenancies: async () =>
          view.tenancies ? loaders.tenanciesByBeneficiary(view.agencies).load(id) : [],
        contactChannels: async () =>
          view.contactAgencies.length
            ? loaders.contactsByBeneficiary(view.contactAgencies).load(id)
            : [],
        loans: async () => (view.loans ? loaders.loansByBeneficiary(view.agencies).load(id) : []),
      });
      if (!rows) return null;
      // Logged before the data leaves: if the log cannot be written, nothing is disclosed.
      await ctx.disclosures.record(id, view.disclosedUnder, disclosedFields(info, FACET_FIELDS));
      return {
        ...rows,
        beneficiaryId: id,
        tenancies: view.accompaniment
          ? rows.tenancies
          : rows.tenancies.map((tenancy) => ({ ...tenancy, accompaniment: null })),
      };
    },
    housingDisclosures: async ({ id }, _, ctx) => {
      const agency = writableAgency(ctx.viewer, await ctx.servedAgencyIds());
      if (!agency) {
        throw new PublicError(
          ErrorCode.Forbidden,
          'Only the staff of a housing agency may read what housing disclosed',
        );
      }
      if (!isUuid(id)) return [];
      // Agencies stay isolated: the log of a person the agency holds nothing about is not theirs.
      const [tenancies, contactChannels, loans] = await Promise.all([
        ctx.loaders.tenanciesByBeneficiary([agency]).load(id),
        ctx.loaders.contactsByBeneficiary([agency]).load(id),
        ctx.loaders.loansByBeneficiary([agency]).load(id),
      ]);
      if (tenancies.length === 0 && contactChannels.length === 0 && loans.length === 0) return [];
      return ctx.disclosures.about(id);
    },
  },
  HousingBeneficiaryFacet: {
    currentTenancy: (facet) => {
      const day = today();
      return (
        facet.tenancies.find((t) => t.startsOn <= day && (t.endsOn === null || t.endsOn >= day)) ??
        null
      );
    },
    preferredContactChannel: (facet) =>
      facet.contactChannels.find((channel) => channel.preferred) ?? null,
    currentLoans: (facet) => facet.loans.filter((loan) => loan.returnedOn === null),
    pastLoans: (facet) => facet.loans.filter((loan) => loan.returnedOn !== null),
  },
  Site: {
    __resolveReference: (ref) => ({ id: ref.id }),
    housing: async ({ id }, _, { loaders }) => {
      if (!isUuid(id)) return null;
      const [communityRoom, count] = await Promise.all([
        loaders.roomBySite.load(id),
        loaders.dwellingCountBySite.load(id),
      ]);
      const dwellingsCount = count?.dwellings ?? 0;
      if (!communityRoom && dwellingsCount === 0) return null;
      return { siteId: id, communityRoom, dwellingsCount };
    },
  },
  HousingTenancy: {
    agency: (tenancy) => ({ id: tenancy.agencyId }),
    dwelling: (tenancy, _, { loaders }) => required(loaders.dwelling.load(tenancy.dwellingId)),
    beneficiary: (tenancy) => ({ id: tenancy.beneficiaryId }),
    // Listed for the dwelling's own agency staff only: the loader reads no other agency's rows.
    household: async (tenancy, _, { loaders }) => {
      const sameDwelling = await loaders.tenanciesByDwelling.load(tenancy.dwellingId);
      return sameDwelling
        .filter(
          (other) =>
            other.id !== tenancy.id &&
            other.agencyId === tenancy.agencyId &&
            overlaps(tenancy, other),
        )
        .sort(
          (a, b) =>
            Number(b.role === 'HEAD') - Number(a.role === 'HEAD') ||
            a.startsOn.localeCompare(b.startsOn),
        );
    },
  },
  HousingHouseholdMember: {
    beneficiary: (member) => ({ id: member.beneficiaryId }),
    since: (member) => member.startsOn,
    until: (member) => member.endsOn,
  },
  HousingDwelling: {
    agency: (dwelling) => ({ id: dwelling.agencyId }),
    site: (dwelling) => (dwelling.siteId ? { id: dwelling.siteId } : null),
  },
  HousingEquipment: {
    agency: (device) => ({ id: device.agencyId }),
    status: (device) => (device.retiredOn ? 'RETIRED' : device.lent ? 'LENT' : 'AVAILABLE'),
  },
  HousingEquipmentLoan: {
    equipment: (loan, _, { loaders }) => required(loaders.equipment.load(loan.equipmentId)),
    beneficiary: (loan) => ({ id: loan.beneficiaryId }),
    overdue: (loan) => loan.returnedOn === null && loan.dueOn !== null && loan.dueOn < today(),
  },
  HousingCommunityRoom: {
    site: (room) => ({ id: room.siteId }),
    agency: (room) => ({ id: room.agencyId }),
  },
};

/** Whether two stays in the same dwelling share at least one day. */
function overlaps(a: TenancyRow, b: TenancyRow): boolean {
  return (
    (a.endsOn === null || b.startsOn <= a.endsOn) && (b.endsOn === null || a.startsOn <= b.endsOn)
  );
}

/** A foreign key that must resolve: a missing row is a broken invariant, not a client error. */
async function required<T>(row: Promise<T | null>): Promise<T> {
  const value = await row;
  if (value === null) throw new Error('dangling reference');
  return value;
}
