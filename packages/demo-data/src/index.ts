// The demo network every subgraph seeds from, so that ids agree across databases. Deterministic:
// the same ids and values on every machine, every time.
import { createHash } from 'node:crypto';

/** A stable UUID (version-4 layout) derived from a name, so demo ids never change. */
export function demoId(name: string): string {
  const hex = createHash('sha256').update(`passerelle-demo:${name}`).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// `pnpm new-partner` adds a kind above COORDINATION, and its partner at the end of `partners`.
export type PartnerKind =
  | 'HOUSING_AGENCY'
  | 'TRAINING'
  | 'HOMEWORK_SCHOOL'
  | 'WOMEN_NETWORK'
  | 'PUBLIC_HELP_DESK'
  | 'COORDINATION';

export interface DemoPartner {
  id: string;
  name: string;
  kind: PartnerKind;
  responseDeadlineDays: number;
}

export const partners = {
  aisQuartiers: {
    id: 'ais-quartiers',
    name: 'AIS Quartiers',
    kind: 'HOUSING_AGENCY',
    responseDeadlineDays: 10,
  },
  aisIris: { id: 'ais-iris', name: 'AIS Iris', kind: 'HOUSING_AGENCY', responseDeadlineDays: 10 },
  clic: { id: 'clic-formation', name: 'Clic Formation', kind: 'TRAINING', responseDeadlineDays: 7 },
  tournesols: {
    id: 'edd-tournesols',
    name: 'École de devoirs Les Tournesols',
    kind: 'HOMEWORK_SCHOOL',
    responseDeadlineDays: 14,
  },
  femmes: {
    id: 'femmes-connectees',
    name: 'Femmes Connectées',
    kind: 'WOMEN_NETWORK',
    responseDeadlineDays: 5,
  },
  coordination: {
    id: 'passerelle-coordination',
    name: 'Coordination Passerelle',
    kind: 'COORDINATION',
    responseDeadlineDays: 14,
  },
  mdnSaintGilles: {
    id: 'mdn-saint-gilles',
    name: 'Maison du Net de Saint-Gilles',
    kind: 'PUBLIC_HELP_DESK',
    responseDeadlineDays: 10,
  },
  mdnAnderlecht: {
    id: 'mdn-anderlecht',
    name: "Maison du Net d'Anderlecht",
    kind: 'PUBLIC_HELP_DESK',
    responseDeadlineDays: 10,
  },
} as const satisfies Record<string, DemoPartner>;

export type SiteKind = 'OFFICE' | 'COMMUNITY_ROOM' | 'CLASSROOM' | 'SCHOOL';

export interface DemoSite {
  id: string;
  partnerId: string;
  name: string;
  kind: SiteKind;
  street: string;
  postalCode: string;
  municipality: string;
}

export const sites = {
  quartiersOffice: {
    id: demoId('site:quartiers-office'),
    partnerId: partners.aisQuartiers.id,
    name: 'AIS Quartiers — accueil',
    kind: 'OFFICE',
    street: 'Rue de la Victoire 96',
    postalCode: '1060',
    municipality: 'Saint-Gilles',
  },
  salleJourdan: {
    id: demoId('site:salle-jourdan'),
    partnerId: partners.aisQuartiers.id,
    name: 'Salle communautaire Jourdan',
    kind: 'COMMUNITY_ROOM',
    street: 'Rue Jourdan 151',
    postalCode: '1060',
    municipality: 'Saint-Gilles',
  },
  irisOffice: {
    id: demoId('site:iris-office'),
    partnerId: partners.aisIris.id,
    name: 'AIS Iris — bureau',
    kind: 'OFFICE',
    street: 'Chaussée de Haecht 226',
    postalCode: '1030',
    municipality: 'Schaerbeek',
  },
  salleTilleuls: {
    id: demoId('site:salle-tilleuls'),
    partnerId: partners.aisIris.id,
    name: 'Salle des Tilleuls',
    kind: 'COMMUNITY_ROOM',
    street: 'Rue des Tilleuls 12',
    postalCode: '1030',
    municipality: 'Schaerbeek',
  },
  clicClassroom: {
    id: demoId('site:clic-classroom'),
    partnerId: partners.clic.id,
    name: 'Clic Formation — salle informatique',
    kind: 'CLASSROOM',
    street: 'Rue de Ribaucourt 27',
    postalCode: '1080',
    municipality: 'Molenbeek-Saint-Jean',
  },
  tournesolsSchool: {
    id: demoId('site:tournesols'),
    partnerId: partners.tournesols.id,
    name: 'Les Tournesols',
    kind: 'SCHOOL',
    street: 'Rue Vandenpeereboom 10',
    postalCode: '1080',
    municipality: 'Molenbeek-Saint-Jean',
  },
  femmesOffice: {
    id: demoId('site:femmes-office'),
    partnerId: partners.femmes.id,
    name: 'Femmes Connectées — local',
    kind: 'OFFICE',
    street: 'Rue de Fiennes 77',
    postalCode: '1070',
    municipality: 'Anderlecht',
  },
  /** The community room of the Peterbos estate, run by the Maison du Net d'Anderlecht. */
  sallePeterbos: {
    id: demoId('site:salle-peterbos'),
    partnerId: partners.mdnAnderlecht.id,
    name: 'Salle communautaire du Peterbos',
    kind: 'COMMUNITY_ROOM',
    street: 'Parc du Peterbos 9',
    postalCode: '1070',
    municipality: 'Anderlecht',
  },
} as const satisfies Record<string, DemoSite>;

export interface DemoBeneficiary {
  id: string;
  givenName: string;
  familyName: string;
  birthYear: number;
  preferredLanguages: string[];
  municipality: string;
  registeredBy: string;
  /** Partners that know this person besides the one that registered them. */
  knownBy: string[];
}

const person = (
  key: string,
  givenName: string,
  familyName: string,
  birthYear: number,
  preferredLanguages: string[],
  municipality: string,
  registeredBy: string,
  knownBy: string[] = [],
): DemoBeneficiary => ({
  id: demoId(`beneficiary:${key}`),
  givenName,
  familyName,
  birthYear,
  preferredLanguages,
  municipality,
  registeredBy,
  knownBy,
});

const P = partners;
export const beneficiaries = {
  amina: person(
    'amina',
    'Amina',
    'El Idrissi',
    1984,
    ['fr', 'ar'],
    'Saint-Gilles',
    P.aisQuartiers.id,
    [P.clic.id, P.tournesols.id, P.femmes.id],
  ),
  yassin: person(
    'yassin',
    'Yassin',
    'El Idrissi',
    2015,
    ['fr', 'ar'],
    'Saint-Gilles',
    P.tournesols.id,
    [P.aisQuartiers.id],
  ),
  jean: person('jean', 'Jean', 'Dubois', 1958, ['fr'], 'Saint-Gilles', P.aisQuartiers.id, [
    P.clic.id,
    P.mdnSaintGilles.id,
  ]),
  marta: person('marta', 'Marta', 'Kowalska', 1979, ['pl', 'fr'], 'Schaerbeek', P.aisIris.id, [
    P.clic.id,
  ]),
  tigist: person('tigist', 'Tigist', 'Alemu', 1996, ['am', 'en'], 'Schaerbeek', P.aisIris.id, [
    P.femmes.id,
  ]),
  mamadou: person(
    'mamadou',
    'Mamadou',
    'Diallo',
    2008,
    ['fr', 'ff'],
    'Molenbeek-Saint-Jean',
    P.tournesols.id,
    [],
  ),
  fatou: person('fatou', 'Fatou', 'Diallo', 1981, ['fr'], 'Molenbeek-Saint-Jean', P.tournesols.id, [
    P.clic.id,
  ]),
  lina: person(
    'lina',
    'Lina',
    'Haddad',
    2017,
    ['ar', 'fr'],
    'Molenbeek-Saint-Jean',
    P.tournesols.id,
    [],
  ),
  samira: person(
    'samira',
    'Samira',
    'Haddad',
    1990,
    ['ar', 'fr'],
    'Molenbeek-Saint-Jean',
    P.femmes.id,
    [P.tournesols.id],
  ),
  olena: person('olena', 'Olena', 'Shevchenko', 1987, ['uk', 'en'], 'Anderlecht', P.femmes.id, [
    P.clic.id,
    P.mdnAnderlecht.id,
  ]),
  pieter: person(
    'pieter',
    'Pieter',
    'Janssens',
    1962,
    ['nl', 'fr'],
    'Schaerbeek',
    P.aisIris.id,
    [],
  ),
  nadia: person('nadia', 'Nadia', 'Benali', 1975, ['fr', 'ar'], 'Anderlecht', P.clic.id, [
    P.mdnAnderlecht.id,
  ]),
  rosa: person(
    'rosa',
    'Rosa',
    'Martins',
    1949,
    ['pt', 'fr'],
    'Saint-Gilles',
    P.mdnSaintGilles.id,
    [],
  ),
} as const;

export type CourseKind = 'DIGITAL_INITIATION' | 'HOMEWORK_CLUB' | 'ADMIN_HELP' | 'WORKSHOP';
export type Audience =
  'ADULTS' | 'SENIORS' | 'WOMEN' | 'CHILDREN' | 'TEENAGERS' | 'PARENTS' | 'EVERYONE';

export interface DemoCourse {
  id: string;
  partnerId: string;
  kind: CourseKind;
  title: string;
  description: string;
  languages: string[];
  audience: Audience;
  siteId: string;
  startsOn: string;
  endsOn: string;
  schedule: string;
  capacity: number;
}

const course = (key: string, rest: Omit<DemoCourse, 'id'>): DemoCourse => ({
  id: demoId(`course:${key}`),
  ...rest,
});

export const courses = {
  premiersPas: course('premiers-pas', {
    partnerId: P.clic.id,
    kind: 'DIGITAL_INITIATION',
    title: "Premiers pas avec l'ordinateur",
    description:
      "Allumer l'ordinateur, utiliser la souris et le clavier, créer une adresse e-mail. Groupe de dix, formatrice arabophone.",
    languages: ['fr', 'ar'],
    audience: 'ADULTS',
    siteId: sites.salleJourdan.id,
    startsOn: '2026-09-07',
    endsOn: '2026-12-14',
    schedule: 'Lundi 9h30–12h00',
    capacity: 10,
  }),
  smartphone: course('smartphone', {
    partnerId: P.clic.id,
    kind: 'DIGITAL_INITIATION',
    title: 'Le smartphone au quotidien',
    description:
      'Applications de la banque, itsme, messagerie et photos: pratiquer sur son propre téléphone.',
    languages: ['fr', 'nl'],
    audience: 'SENIORS',
    siteId: sites.salleTilleuls.id,
    startsOn: '2026-10-01',
    endsOn: '2027-01-28',
    schedule: 'Jeudi 14h00–16h00',
    capacity: 8,
  }),
  clubPrimaire: course('club-primaire', {
    partnerId: P.tournesols.id,
    kind: 'HOMEWORK_CLUB',
    title: 'Club devoirs primaire',
    description: 'Aide aux devoirs pour les enfants de primaire, par des tuteurs du secondaire.',
    languages: ['fr'],
    audience: 'CHILDREN',
    siteId: sites.tournesolsSchool.id,
    startsOn: '2026-09-01',
    endsOn: '2027-06-30',
    schedule: 'Lundi, mardi, jeudi 15h30–17h30',
    capacity: 24,
  }),
  demarches: course('demarches', {
    partnerId: P.tournesols.id,
    kind: 'ADMIN_HELP',
    title: 'Démarches en ligne pour parents',
    description: 'Inscriptions scolaires, allocations familiales, MyMinfin: on remplit ensemble.',
    languages: ['fr', 'ar'],
    audience: 'PARENTS',
    siteId: sites.tournesolsSchool.id,
    startsOn: '2026-09-01',
    endsOn: '2027-06-30',
    schedule: 'Mercredi 13h00–15h00',
    capacity: 6,
  }),
  atelierFemmes: course('atelier-femmes', {
    partnerId: P.femmes.id,
    kind: 'WORKSHOP',
    title: 'Atelier numérique entre femmes',
    description: "Un espace sûr pour apprendre à son rythme; garde d'enfants pendant l'atelier.",
    languages: ['fr', 'ar', 'en'],
    audience: 'WOMEN',
    siteId: sites.femmesOffice.id,
    startsOn: '2026-09-15',
    endsOn: '2026-12-15',
    schedule: 'Mardi 9h30–11h30',
    capacity: 12,
  }),
  securite: course('securite', {
    partnerId: P.femmes.id,
    kind: 'WORKSHOP',
    title: 'Sécurité en ligne et vie privée',
    description: 'Mots de passe, arnaques, contrôle du téléphone par un tiers: se protéger.',
    languages: ['fr', 'uk', 'en'],
    audience: 'WOMEN',
    siteId: sites.salleTilleuls.id,
    startsOn: '2026-10-06',
    endsOn: '2026-11-24',
    schedule: 'Vendredi 10h00–12h00',
    capacity: 2,
  }),
} as const satisfies Record<string, DemoCourse>;

export type ReferralStatus =
  | 'SENT'
  | 'ACKNOWLEDGED'
  | 'ACCEPTED'
  | 'DECLINED'
  | 'IN_PROGRESS'
  | 'ON_HOLD'
  | 'COMPLETED'
  | 'FAILED'
  | 'WITHDRAWN'
  | 'EXPIRED';

export interface DemoReferral {
  id: string;
  fromPartnerId: string;
  toPartnerId: string;
  beneficiaryId: string;
  courseId: string | null;
  reason: string;
  /** Status path from creation, with the day offset (from `sentAt`) each step happened. */
  path: {
    status: ReferralStatus;
    day: number;
    byPartner: 'from' | 'to';
    note?: string;
    /** With DECLINED and FAILED. */
    reasonCode?: string;
    /** With COMPLETED. */
    outcome?: string;
    digCompProgress?: { competence: string; fromLevel: number | null; toLevel: number }[];
  }[];
  sentAt: string;
}

const B = beneficiaries;
const C = courses;
export const referrals: DemoReferral[] = [
  {
    id: demoId('referral:amina-premiers-pas'),
    fromPartnerId: P.aisQuartiers.id,
    toPartnerId: P.clic.id,
    beneficiaryId: B.amina.id,
    courseId: C.premiersPas.id,
    sentAt: '2026-08-20T09:00:00Z',
    reason: "Pas d'ordinateur à la maison; souhaite gérer ses démarches logement en ligne.",
    path: [
      { status: 'SENT', day: 0, byPartner: 'from' },
      { status: 'ACKNOWLEDGED', day: 1, byPartner: 'to' },
      { status: 'ACCEPTED', day: 3, byPartner: 'to', note: 'Place réservée, groupe du lundi.' },
      { status: 'IN_PROGRESS', day: 18, byPartner: 'to' },
    ],
  },
  {
    id: demoId('referral:jean-premiers-pas'),
    fromPartnerId: P.aisQuartiers.id,
    toPartnerId: P.clic.id,
    beneficiaryId: B.jean.id,
    courseId: C.premiersPas.id,
    sentAt: '2026-08-25T10:30:00Z',
    reason: 'A reçu un PC reconditionné; ne sait pas encore s’en servir.',
    path: [
      { status: 'SENT', day: 0, byPartner: 'from' },
      { status: 'ACKNOWLEDGED', day: 2, byPartner: 'to' },
      { status: 'ACCEPTED', day: 4, byPartner: 'to' },
      { status: 'IN_PROGRESS', day: 13, byPartner: 'to' },
      {
        status: 'COMPLETED',
        day: 90,
        byPartner: 'to',
        outcome: 'Envoie ses e-mails seul.',
        digCompProgress: [
          { competence: '2.1', fromLevel: 1, toLevel: 2 },
          { competence: '1.1', fromLevel: null, toLevel: 2 },
        ],
      },
    ],
  },
  {
    id: demoId('referral:tigist-atelier'),
    fromPartnerId: P.aisIris.id,
    toPartnerId: P.femmes.id,
    beneficiaryId: B.tigist.id,
    courseId: C.atelierFemmes.id,
    sentAt: '2026-09-02T14:00:00Z',
    reason: 'Souhaite un groupe non mixte; a besoin de la garde d’enfants.',
    path: [
      { status: 'SENT', day: 0, byPartner: 'from' },
      { status: 'ACKNOWLEDGED', day: 1, byPartner: 'to' },
      { status: 'ACCEPTED', day: 1, byPartner: 'to' },
      { status: 'IN_PROGRESS', day: 13, byPartner: 'to' },
    ],
  },
  {
    id: demoId('referral:samira-demarches'),
    fromPartnerId: P.femmes.id,
    toPartnerId: P.tournesols.id,
    beneficiaryId: B.samira.id,
    courseId: C.demarches.id,
    sentAt: '2026-09-10T09:15:00Z',
    reason: 'Inscription scolaire de sa fille à faire en ligne.',
    path: [
      { status: 'SENT', day: 0, byPartner: 'from' },
      { status: 'ACKNOWLEDGED', day: 3, byPartner: 'to' },
      { status: 'ACCEPTED', day: 5, byPartner: 'to' },
    ],
  },
  {
    id: demoId('referral:marta-smartphone'),
    fromPartnerId: P.aisIris.id,
    toPartnerId: P.clic.id,
    beneficiaryId: B.marta.id,
    courseId: C.smartphone.id,
    sentAt: '2026-09-20T11:00:00Z',
    reason: 'Veut utiliser l’application de sa banque.',
    path: [
      { status: 'SENT', day: 0, byPartner: 'from' },
      { status: 'ACKNOWLEDGED', day: 1, byPartner: 'to' },
      { status: 'ACCEPTED', day: 2, byPartner: 'to' },
      { status: 'IN_PROGRESS', day: 8, byPartner: 'to' },
      { status: 'ON_HOLD', day: 9, byPartner: 'to', note: 'Liste d’attente: groupe complet.' },
    ],
  },
  {
    id: demoId('referral:pieter-premiers-pas'),
    fromPartnerId: P.aisIris.id,
    toPartnerId: P.clic.id,
    beneficiaryId: B.pieter.id,
    courseId: C.premiersPas.id,
    sentAt: '2026-09-22T08:45:00Z',
    reason: 'Demande un cours en néerlandais.',
    path: [
      { status: 'SENT', day: 0, byPartner: 'from' },
      { status: 'ACKNOWLEDGED', day: 2, byPartner: 'to' },
      {
        status: 'DECLINED',
        day: 2,
        byPartner: 'to',
        reasonCode: 'NO_CAPACITY',
        note: 'Pas de groupe néerlandophone ce trimestre.',
      },
    ],
  },
  {
    id: demoId('referral:olena-securite'),
    fromPartnerId: P.femmes.id,
    toPartnerId: P.clic.id,
    beneficiaryId: B.olena.id,
    courseId: null,
    sentAt: '2026-11-12T13:00:00Z',
    reason: 'Souhaite une formation bureautique pour chercher un emploi.',
    path: [{ status: 'SENT', day: 0, byPartner: 'from' }],
  },
  {
    id: demoId('referral:fatou-premiers-pas'),
    fromPartnerId: P.tournesols.id,
    toPartnerId: P.clic.id,
    beneficiaryId: B.fatou.id,
    courseId: C.premiersPas.id,
    sentAt: '2026-10-05T16:00:00Z',
    reason: 'Maman d’un élève; veut suivre la plateforme scolaire.',
    path: [
      { status: 'SENT', day: 0, byPartner: 'from' },
      { status: 'ACKNOWLEDGED', day: 1, byPartner: 'to' },
      { status: 'ACCEPTED', day: 2, byPartner: 'to' },
      { status: 'IN_PROGRESS', day: 7, byPartner: 'to' },
    ],
  },
  {
    id: demoId('referral:yassin-club'),
    fromPartnerId: P.aisQuartiers.id,
    toPartnerId: P.tournesols.id,
    beneficiaryId: B.yassin.id,
    courseId: C.clubPrimaire.id,
    sentAt: '2026-08-28T10:00:00Z',
    reason: 'Fils d’une locataire; difficultés en lecture.',
    path: [
      { status: 'SENT', day: 0, byPartner: 'from' },
      { status: 'ACKNOWLEDGED', day: 1, byPartner: 'to' },
      { status: 'ACCEPTED', day: 1, byPartner: 'to' },
      { status: 'IN_PROGRESS', day: 5, byPartner: 'to' },
    ],
  },
];

/** Demo staff accounts (subjects), one per partner, used in examples and tests. */
export const staff = {
  aisQuartiers: 'staff:sofia@ais-quartiers',
  aisIris: 'staff:koen@ais-iris',
  clic: 'staff:rachid@clic-formation',
  tournesols: 'staff:claire@edd-tournesols',
  femmes: 'staff:aicha@femmes-connectees',
  coordination: 'coordinator:ines@passerelle',
  mdnSaintGilles: 'staff:julie@mdn-saint-gilles',
  mdnAnderlecht: 'staff:mehdi@mdn-anderlecht',
} as const;

/** Adds whole days to an ISO timestamp. */
export function addDays(iso: string, days: number): Date {
  return new Date(new Date(iso).getTime() + days * 86_400_000);
}

export type ConsentPurpose = 'REFERRAL' | 'FOLLOW_UP' | 'COORDINATION';

export interface DemoConsent {
  id: string;
  beneficiaryId: string;
  recipientPartnerId: string;
  categories: string[];
  purpose: ConsentPurpose;
  method: 'WRITTEN' | 'ORAL_ATTESTED' | 'DIGITAL';
  recordedByPartnerId: string;
  recordedAt: string;
  expiresAt?: string;
  withdrawnAt?: string;
}

/**
 * Consents of the demo network: live, expired and withdrawn ones, so that example queries show
 * facets both disclosed and withheld.
 */
export const consents = {
  /** Amina lets her housing agency follow her training (not her women's-network workshops). */
  aminaTrainingToHousing: {
    id: demoId('consent:amina-training-to-housing'),
    beneficiaryId: B.amina.id,
    recipientPartnerId: P.aisQuartiers.id,
    categories: ['training', 'identity'],
    purpose: 'FOLLOW_UP',
    method: 'WRITTEN',
    recordedByPartnerId: P.clic.id,
    recordedAt: '2026-09-10T10:00:00Z',
  },
  /** …and the training association to know her housing situation, for the referral. */
  aminaHousingToTraining: {
    id: demoId('consent:amina-housing-to-training'),
    beneficiaryId: B.amina.id,
    recipientPartnerId: P.clic.id,
    categories: ['housing'],
    purpose: 'REFERRAL',
    method: 'WRITTEN',
    recordedByPartnerId: P.aisQuartiers.id,
    recordedAt: '2026-08-20T09:00:00Z',
  },
  /** Amina, as Yassin's guardian, lets the housing agency follow his homework club. */
  yassinHomeworkToHousing: {
    id: demoId('consent:yassin-homework-to-housing'),
    beneficiaryId: B.yassin.id,
    recipientPartnerId: P.aisQuartiers.id,
    categories: ['homework'],
    purpose: 'FOLLOW_UP',
    method: 'WRITTEN',
    recordedByPartnerId: P.tournesols.id,
    recordedAt: '2026-09-03T16:00:00Z',
  },
  /** Tigist lets the women's network know her housing and how to reach her. */
  tigistHousingToWomen: {
    id: demoId('consent:tigist-housing-to-women'),
    beneficiaryId: B.tigist.id,
    recipientPartnerId: P.femmes.id,
    categories: ['housing', 'contact'],
    purpose: 'REFERRAL',
    method: 'ORAL_ATTESTED',
    recordedByPartnerId: P.aisIris.id,
    recordedAt: '2026-09-02T14:00:00Z',
  },
  /** Jean agreed that the coordinators follow his path. */
  jeanCoordination: {
    id: demoId('consent:jean-coordination'),
    beneficiaryId: B.jean.id,
    recipientPartnerId: P.coordination.id,
    categories: ['identity', 'housing', 'training'],
    purpose: 'COORDINATION',
    method: 'WRITTEN',
    recordedByPartnerId: P.aisQuartiers.id,
    recordedAt: '2026-08-25T10:30:00Z',
  },
  /** Marta's consent to the training association has expired. */
  martaHousingToTrainingExpired: {
    id: demoId('consent:marta-housing-to-training'),
    beneficiaryId: B.marta.id,
    recipientPartnerId: P.clic.id,
    categories: ['housing'],
    purpose: 'FOLLOW_UP',
    method: 'DIGITAL',
    recordedByPartnerId: P.aisIris.id,
    recordedAt: '2026-03-20T11:00:00Z',
    expiresAt: '2026-09-30T23:59:59Z',
  },
  /** Pieter withdrew his. */
  pieterHousingToTrainingWithdrawn: {
    id: demoId('consent:pieter-housing-to-training'),
    beneficiaryId: B.pieter.id,
    recipientPartnerId: P.clic.id,
    categories: ['housing'],
    purpose: 'FOLLOW_UP',
    method: 'WRITTEN',
    recordedByPartnerId: P.aisIris.id,
    recordedAt: '2026-09-22T08:45:00Z',
    withdrawnAt: '2026-10-01T09:00:00Z',
  },
} satisfies Record<string, DemoConsent>;

/** The demo staff subject of a partner. */
export function staffOf(partnerId: string): string {
  const key = (Object.keys(partners) as (keyof typeof partners)[]).find(
    (k) => partners[k].id === partnerId,
  );
  const subject = key ? (staff as Partial<Record<string, string>>)[key] : undefined;
  return subject ?? `staff:demo@${partnerId}`;
}
