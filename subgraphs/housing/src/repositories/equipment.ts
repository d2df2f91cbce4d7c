import { anyOf, builtOnce } from '@passerelle/db';
import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  inArray,
  isNotNull,
  isNull,
  not,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { HousingDb } from '../db/index.ts';
import {
  equipment,
  equipmentLoans,
  type EquipmentLoanRow,
  type EquipmentRow,
} from '../db/schema.ts';
import { isUniqueViolation } from './unique-violation.ts';

/** A device with whether it is lent now (derived from its open loan, never stored). */
export interface EquipmentWithLoanState extends EquipmentRow {
  lent: boolean;
}

export type EquipmentStatus = 'AVAILABLE' | 'LENT' | 'RETIRED';

export interface NewLoan {
  agencyId: string;
  beneficiaryId: string;
  /** A given device; when null, the first available computer is picked. */
  equipmentId: string | null;
  lentOn: string;
  dueOn: string | null;
  lentBy: string;
}

export type LendOutcome =
  | { kind: 'lent'; loan: EquipmentLoanRow }
  | { kind: 'no-equipment' }
  | { kind: 'retired' }
  | { kind: 'already-lent' }
  /** No computer of the agency is available. */
  | { kind: 'none-left' }
  /** Another request lent the device at the same moment. */
  | { kind: 'race' };

export type ReturnOutcome =
  | { kind: 'returned'; loan: EquipmentLoanRow }
  | { kind: 'already-returned'; loan: EquipmentLoanRow }
  | { kind: 'no-loan' };

/** For WHERE clauses only: Drizzle leaves the columns of SQL in a select list unqualified. */
const hasOpenLoan = sql`exists (select 1 from ${equipmentLoans} where ${equipmentLoans.equipmentId} = ${equipment.id} and ${equipmentLoans.returnedOn} is null)`;

/** Computers picked for a loan: desktops first, then laptops; tablets only when asked for. */
const COMPUTER_KINDS = ['PC', 'LAPTOP'];

/** A status as a condition on devices left-joined to their open loan. */
function statusCondition(status: EquipmentStatus): SQL | undefined {
  switch (status) {
    case 'RETIRED':
      return isNotNull(equipment.retiredOn);
    case 'LENT':
      return and(isNull(equipment.retiredOn), isNotNull(equipmentLoans.id));
    case 'AVAILABLE':
      return and(isNull(equipment.retiredOn), isNull(equipmentLoans.id));
  }
}

/** Devices joined to their open loan (at most one, by the partial unique index). */
function withLoanState(db: HousingDb) {
  return db
    .select({
      ...getTableColumns(equipment),
      lent: sql<boolean>`${equipmentLoans.id} is not null`,
    })
    .from(equipment)
    .leftJoin(
      equipmentLoans,
      and(eq(equipmentLoans.equipmentId, equipment.id), isNull(equipmentLoans.returnedOn)),
    )
    .$dynamic();
}

const equipmentByIds = builtOnce((db: HousingDb) =>
  withLoanState(db).where(anyOf(equipment.id, 'ids')).prepare('housing_equipment_by_ids'),
);
const loansByBeneficiaryIds = builtOnce((db: HousingDb) =>
  db
    .select()
    .from(equipmentLoans)
    .where(
      and(anyOf(equipmentLoans.beneficiaryId, 'ids'), anyOf(equipmentLoans.agencyId, 'agencyIds')),
    )
    .orderBy(desc(equipmentLoans.lentOn), asc(equipmentLoans.id))
    .prepare('housing_loans_by_beneficiary_ids'),
);

/** The agencies' lending stock and the loans of its devices. */
export class EquipmentRepository {
  constructor(private readonly db: HousingDb) {}

  byIds(ids: readonly string[]): Promise<EquipmentWithLoanState[]> {
    return equipmentByIds(this.db).execute({ ids: [...ids] });
  }

  stock(agencyId: string, status: EquipmentStatus | null): Promise<EquipmentWithLoanState[]> {
    return withLoanState(this.db)
      .where(and(eq(equipment.agencyId, agencyId), status ? statusCondition(status) : undefined))
      .orderBy(asc(equipment.assetTag));
  }

  loansByBeneficiaryIds(
    ids: readonly string[],
    agencyIds: readonly string[],
  ): Promise<EquipmentLoanRow[]> {
    return loansByBeneficiaryIds(this.db).execute({ ids: [...ids], agencyIds: [...agencyIds] });
  }

  /**
   * Lends a device. The device row is locked (FOR UPDATE) before its open loan is checked, so
   * two staff members lending the same device at once cannot both succeed; the partial unique
   * index on open loans is the last guard.
   */
  async lend(input: NewLoan): Promise<LendOutcome> {
    try {
      return await this.db.transaction(async (tx): Promise<LendOutcome> => {
        let device: EquipmentRow | undefined;
        if (input.equipmentId) {
          [device] = await tx
            .select()
            .from(equipment)
            .where(and(eq(equipment.id, input.equipmentId), eq(equipment.agencyId, input.agencyId)))
            .for('update');
          if (!device) return { kind: 'no-equipment' };
          if (device.retiredOn) return { kind: 'retired' };
        } else {
          [device] = await tx
            .select()
            .from(equipment)
            .where(
              and(
                eq(equipment.agencyId, input.agencyId),
                inArray(equipment.kind, COMPUTER_KINDS),
                isNull(equipment.retiredOn),
                not(hasOpenLoan),
              ),
            )
            .orderBy(
              sql`case ${equipment.kind} when 'PC' then 0 else 1 end`,
              asc(equipment.assetTag),
            )
            .limit(1)
            .for('update', { skipLocked: true });
          if (!device) return { kind: 'none-left' };
        }
        // A fresh statement after the lock sees loans committed while we waited for it.
        const [open] = await tx
          .select({ id: equipmentLoans.id })
          .from(equipmentLoans)
          .where(and(eq(equipmentLoans.equipmentId, device.id), isNull(equipmentLoans.returnedOn)));
        if (open) return input.equipmentId ? { kind: 'already-lent' } : { kind: 'race' };
        const [loan] = await tx
          .insert(equipmentLoans)
          .values({
            agencyId: input.agencyId,
            equipmentId: device.id,
            beneficiaryId: input.beneficiaryId,
            lentOn: input.lentOn,
            dueOn: input.dueOn,
            lentBy: input.lentBy,
          })
          .returning();
        if (!loan) throw new Error('insert returned no row');
        return { kind: 'lent', loan };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'equipment_loans_open_uq')) return { kind: 'race' };
      throw error;
    }
  }

  /** Records a return once; a second return finds the loan closed and leaves it as it is. */
  returnLoan(
    loanId: string,
    agencyId: string,
    returnedOn: string,
    condition: string | null,
    returnedBy: string,
  ): Promise<ReturnOutcome> {
    return this.db.transaction(async (tx): Promise<ReturnOutcome> => {
      const [loan] = await tx
        .select()
        .from(equipmentLoans)
        .where(and(eq(equipmentLoans.id, loanId), eq(equipmentLoans.agencyId, agencyId)))
        .for('update');
      if (!loan) return { kind: 'no-loan' };
      if (loan.returnedOn) return { kind: 'already-returned', loan };
      const [returned] = await tx
        .update(equipmentLoans)
        .set({
          // A loan recorded with a later lending day cannot come back before it.
          returnedOn: returnedOn < loan.lentOn ? loan.lentOn : returnedOn,
          returnCondition: condition,
          returnedBy,
        })
        .where(eq(equipmentLoans.id, loan.id))
        .returning();
      if (!returned) throw new Error('update returned no row');
      return { kind: 'returned', loan: returned };
    });
  }
}
