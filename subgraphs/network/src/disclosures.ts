// What the directory discloses of a person to a viewer whose partner is not linked to them: the
// receiver of a referral not yet accepted, a partner named by a follow-up consent, a coordinator
// under a coordination consent. Logged like every partner facet (DESIGN.md §4.5), before the data
// leaves: one entry per person and request, listing the fields asked, never the values.
import type { AccessGrant, DisclosureLog } from '@passerelle/service';
import DataLoader from 'dataloader';
import type { ConsentRow } from './db/schema.ts';
import type { SeenBeneficiary } from './repositories/beneficiaries.ts';

/** The facet name the directory's entries carry in the log. */
export const DIRECTORY_FACET = 'directory';

/**
 * The consent a disclosure relies on: one of the person's live consents that concern the viewer,
 * preferring one that covers `identity`.
 */
function grantOf(consents: readonly ConsentRow[]): AccessGrant | null {
  const consent = consents.find((c) => c.categories.includes('identity')) ?? consents[0];
  if (!consent) return null;
  return {
    consentId: consent.id,
    partner: consent.recipientPartnerId,
    categories: consent.categories,
    purpose: consent.purpose,
    recordedBy: consent.recordedByPartnerId,
  };
}

export function directoryDisclosures(
  log: ReturnType<DisclosureLog['forRequest']>,
  grantsOf: (beneficiaryId: string) => Promise<ConsentRow[]>,
) {
  // Every field of every person resolved in one tick: one entry per person, in one insert.
  const asked = new DataLoader<{ person: SeenBeneficiary; field: string }, true, string>(
    async (asks) => {
      const fieldsOf = new Map<string, string[]>();
      for (const { person, field } of asks) {
        fieldsOf.set(person.id, [...(fieldsOf.get(person.id) ?? []), field]);
      }
      const written = new Map<string, Promise<true | Error>>();
      for (const [beneficiaryId, fields] of fieldsOf) {
        written.set(
          beneficiaryId,
          grantsOf(beneficiaryId).then(async (consents) => {
            const grant = grantOf(consents);
            // Seen without a link, and no consent left (withdrawn since): disclose nothing.
            if (!grant) return new Error('a person seen with neither a link nor a live consent');
            await log.record(beneficiaryId, grant, fields);
            return true as const;
          }),
        );
      }
      return Promise.all(asks.map(({ person }) => written.get(person.id)!));
    },
    { cacheKeyFn: ({ person, field }) => `${person.id}:${field}` },
  );
  return {
    /**
     * Logs, when the viewer's partner is not linked to the person, that `field` of their entry
     * is disclosed; resolves once the entry is written, rejects if it cannot be.
     */
    record: async (person: SeenBeneficiary, field: string): Promise<void> => {
      if (person.linked !== true) await asked.load({ person, field });
    },
    /** The latest entries of what the directory disclosed about a person, most recent first. */
    about: log.about,
  };
}
