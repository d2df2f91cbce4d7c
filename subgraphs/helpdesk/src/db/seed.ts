// The help desks' demo data: the two Maisons du Net, their weekly drop-in sessions in community
// rooms, and a season of visits (anonymous ones, and ones linked to people of
// `@passerelle/demo-data` the help desk knows in the directory).
import * as demo from '@passerelle/demo-data';
import { count } from 'drizzle-orm';
import type { HelpdeskDb } from './index.ts';
import {
  dropIns,
  servedPartners,
  visits,
  type NewDropInRow,
  type NewVisitRow,
  type VisitOutcome,
  type VisitTopic,
} from './schema.ts';

const SAINT_GILLES = demo.partners.mdnSaintGilles.id;
const ANDERLECHT = demo.partners.mdnAnderlecht.id;
const JOURDAN = demo.sites.salleJourdan.id;
const PETERBOS = demo.sites.sallePeterbos.id;
const B = demo.beneficiaries;

/** One demo visit: who (null when anonymous), where, when, about what and how it ended. */
function visit(
  key: string,
  partnerId: string,
  siteId: string,
  visitedOn: string,
  beneficiaryId: string | null,
  topic: VisitTopic,
  outcome: VisitOutcome,
  competence: string | null,
  note: string | null = null,
): NewVisitRow {
  return {
    id: demo.demoId(`helpdesk-visit:${key}`),
    partnerId,
    siteId,
    visitedOn,
    beneficiaryId,
    topic,
    outcome,
    competence,
    note,
    recordedBy: demo.staffOf(partnerId),
    recordedAt: new Date(`${visitedOn}T16:00:00Z`),
  };
}

const demoVisits: NewVisitRow[] = [
  // Saint-Gilles, salle Jourdan: Tuesday afternoons and Friday mornings.
  visit(
    'jean-banking',
    SAINT_GILLES,
    JOURDAN,
    '2026-09-08',
    B.jean.id,
    'ONLINE_BANKING',
    'LEARNED_TO_DO_IT_ALONE',
    '2.1',
    'A fait son premier virement seul sur l’application.',
  ),
  visit('sg-1', SAINT_GILLES, JOURDAN, '2026-09-11', null, 'E_GOVERNMENT_FORMS', 'SOLVED', '2.3'),
  visit(
    'sg-2',
    SAINT_GILLES,
    JOURDAN,
    '2026-09-15',
    null,
    'SMARTPHONE_BASICS',
    'LEARNED_TO_DO_IT_ALONE',
    '5.1',
  ),
  visit(
    'rosa-email',
    SAINT_GILLES,
    JOURDAN,
    '2026-09-22',
    B.rosa.id,
    'EMAIL',
    'LEARNED_TO_DO_IT_ALONE',
    '2.1',
    'Adresse e-mail créée avec elle; revient pour les pièces jointes.',
  ),
  visit(
    'sg-3',
    SAINT_GILLES,
    JOURDAN,
    '2026-10-02',
    null,
    'HEALTH_AND_INSURANCE',
    'REFERRED',
    null,
  ),
  visit(
    'jean-phishing',
    SAINT_GILLES,
    JOURDAN,
    '2026-10-06',
    B.jean.id,
    'ONLINE_BANKING',
    'SOLVED',
    '4.2',
    'SMS d’hameçonnage reconnu; la banque a bloqué la carte.',
  ),
  visit('sg-4', SAINT_GILLES, JOURDAN, '2026-10-13', null, 'SCHOOL_PLATFORMS', 'SOLVED', '2.3'),
  visit(
    'rosa-pension',
    SAINT_GILLES,
    JOURDAN,
    '2026-10-20',
    B.rosa.id,
    'E_GOVERNMENT_FORMS',
    'REFERRED',
    '2.3',
    'Demande de pension: orientée vers le service social.',
  ),
  visit('sg-5', SAINT_GILLES, JOURDAN, '2026-11-03', null, 'EMAIL', 'SOLVED', null),
  // Anderlecht, salle du Peterbos: Monday afternoons and Thursday mornings.
  visit(
    'olena-actiris',
    ANDERLECHT,
    PETERBOS,
    '2026-09-14',
    B.olena.id,
    'JOB_SEARCH',
    'LEARNED_TO_DO_IT_ALONE',
    '1.1',
    'Profil Actiris complété ensemble.',
  ),
  visit('and-1', ANDERLECHT, PETERBOS, '2026-09-17', null, 'ONLINE_BANKING', 'SOLVED', null),
  visit(
    'nadia-myfamily',
    ANDERLECHT,
    PETERBOS,
    '2026-10-01',
    B.nadia.id,
    'E_GOVERNMENT_FORMS',
    'SOLVED',
    '2.3',
    'Composition de ménage téléchargée sur MyFamily.',
  ),
  visit('and-2', ANDERLECHT, PETERBOS, '2026-10-05', null, 'SMARTPHONE_BASICS', 'SOLVED', '5.1'),
  visit(
    'olena-cv',
    ANDERLECHT,
    PETERBOS,
    '2026-10-19',
    B.olena.id,
    'OTHER',
    'REFERRED',
    null,
    'CV à mettre en page: orientée vers une formation bureautique.',
  ),
  visit(
    'and-3',
    ANDERLECHT,
    PETERBOS,
    '2026-11-05',
    null,
    'HEALTH_AND_INSURANCE',
    'LEARNED_TO_DO_IT_ALONE',
    '2.3',
  ),
];

/** The help desks' weekly drop-in sessions; the Brussels dataset draws its visits on them. */
export const demoDropIns: NewDropInRow[] = [
  {
    partnerId: SAINT_GILLES,
    siteId: JOURDAN,
    weekday: 2,
    opensAt: '14:00',
    closesAt: '17:00',
    languages: ['fr', 'ar'],
  },
  {
    partnerId: SAINT_GILLES,
    siteId: JOURDAN,
    weekday: 5,
    opensAt: '09:30',
    closesAt: '12:00',
    languages: ['fr', 'pt'],
  },
  {
    partnerId: ANDERLECHT,
    siteId: PETERBOS,
    weekday: 1,
    opensAt: '13:30',
    closesAt: '16:30',
    languages: ['fr', 'nl'],
  },
  {
    partnerId: ANDERLECHT,
    siteId: PETERBOS,
    weekday: 4,
    opensAt: '09:30',
    closesAt: '12:30',
    languages: ['fr', 'ar', 'en'],
  },
];

export async function seedDemo(db: HelpdeskDb): Promise<void> {
  const [existing] = await db.select({ n: count() }).from(dropIns);
  if ((existing?.n ?? 0) > 0) return;
  await db.transaction(async (tx) => {
    await tx
      .insert(servedPartners)
      .values(
        [demo.partners.mdnSaintGilles, demo.partners.mdnAnderlecht].map((partner) => ({
          partnerId: partner.id,
          name: partner.name,
        })),
      )
      .onConflictDoNothing();
    await tx.insert(dropIns).values(demoDropIns);
    await tx.insert(visits).values(demoVisits);
  });
}
