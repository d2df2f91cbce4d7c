// The Brussels-scale network every generated row hangs from: partners (the demo ones and more of
// each kind), their sites, 50,000 people and 2,000 directory courses. The partner datasets and
// the referrals are drawn on top of it, and record here which partner knows whom, so that the
// directory's links agree with what every partner holds.
import * as demo from '@passerelle/demo-data';
import { nameId, plusDays, Random } from './random.ts';

/** "Today" for the generated data: the demo network's today, fixed so that seeds never drift. */
export const DATASET_NOW = new Date('2026-11-23T06:00:00Z');
/** The first referrals, enrollments and workshops of the generated history. */
export const HISTORY_START = new Date('2025-01-06T08:00:00Z');

export const SCALE = {
  people: 50_000,
  housingAgencies: 30,
  dwellingsPerAgency: 800,
  pcsPerAgency: 150,
  trainingPartners: 8,
  homeworkSchools: 6,
  womenNetworks: 4,
  trainingCourses: 1_700,
  homeworkClubs: 100,
  adminHelpCourses: 50,
  workshops: 150,
  enrollments: 60_000,
  referrals: 40_000,
  consents: 100_000,
  /** People with every facet and the consents to show them: the benchmark's journeys. */
  journeyCohort: 300,
} as const;

export const COMMUNES = [
  ['Anderlecht', '1070'],
  ['Auderghem', '1160'],
  ['Berchem-Sainte-Agathe', '1082'],
  ['Bruxelles', '1000'],
  ['Etterbeek', '1040'],
  ['Evere', '1140'],
  ['Forest', '1190'],
  ['Ganshoren', '1083'],
  ['Ixelles', '1050'],
  ['Jette', '1090'],
  ['Koekelberg', '1081'],
  ['Molenbeek-Saint-Jean', '1080'],
  ['Saint-Gilles', '1060'],
  ['Saint-Josse-ten-Noode', '1210'],
  ['Schaerbeek', '1030'],
  ['Uccle', '1180'],
  ['Watermael-Boitsfort', '1170'],
  ['Woluwe-Saint-Lambert', '1200'],
  ['Woluwe-Saint-Pierre', '1150'],
] as const;

export const STREETS = [
  'Rue Haute',
  'Chaussée de Gand',
  'Rue de Brabant',
  'Avenue Clemenceau',
  'Rue du Midi',
  'Boulevard Léopold II',
  'Rue Vandenpeereboom',
  'Chaussée de Mons',
  'Rue Royale',
  'Avenue de la Couronne',
  'Rue Gallait',
  'Chaussée de Wavre',
  'Rue de la Victoire',
  'Avenue du Port',
  'Rue Josaphat',
  'Rue Malibran',
  'Chaussée d’Alsemberg',
  'Rue de Fiennes',
  'Avenue Brugmann',
  'Rue des Palais',
] as const;

const GIVEN_NAMES =
  'Amina,Mohamed,Fatima,Youssef,Sarah,Thomas,Nadia,Lucas,Aïcha,Jan,Marie,Omar,Lea,Ibrahim,Sofia,Pieter,Khadija,Noah,Olena,Mamadou,Inès,Karim,Emma,Ahmed,Zeynep,David,Mariam,Louis,Hanna,Bilal,Rania,Jonas,Aminata,Hugo,Samira,Elif,Tigist,Marta,Ana,Yassin'.split(
    ',',
  );
const FAMILY_NAMES =
  'El Idrissi,Dubois,Diallo,Peeters,Benali,Janssens,Haddad,Kowalska,Alemu,Shevchenko,Maes,Bakkali,Lambert,Yilmaz,Nguyen,Martin,Mertens,Bah,Rodriguez,Popescu,Claes,Amrani,Willems,Kaya,Ferreira,Ouedraogo,Jacobs,Ait Said,Wouters,Sow,Goossens,Mukendi,Lemaire,Chaouki'.split(
    ',',
  );
export const LANGUAGES = ['fr', 'nl', 'ar', 'en', 'es', 'pt', 'pl', 'ro', 'tr', 'uk', 'am', 'ff'];
const LANGUAGE_WEIGHTS = [60, 12, 25, 12, 4, 4, 3, 4, 5, 4, 2, 2];

export type Kind = demo.PartnerKind;

export interface Partner {
  id: string;
  name: string;
  kind: Kind;
  responseDeadlineDays: number;
  commune: (typeof COMMUNES)[number];
  /** Generated here, or one of the demo network's (already seeded). */
  generated: boolean;
}

export interface Person {
  id: string;
  givenName: string;
  familyName: string;
  birthYear: number;
  preferredLanguages: string[];
  municipality: string;
}

export interface Course {
  id: string;
  partnerId: string;
  kind: demo.CourseKind;
  title: string;
  languages: string[];
  audience: demo.Audience;
  siteId: string;
  startsOn: string;
  endsOn: string;
  schedule: string;
  capacity: number;
}

/** Which facet category a partner's records are, as consents name it. */
export const CATEGORY_OF: Record<Kind, string | null> = {
  HOUSING_AGENCY: 'housing',
  TRAINING: 'training',
  HOMEWORK_SCHOOL: 'homework',
  WOMEN_NETWORK: 'women',
  PUBLIC_HELP_DESK: 'helpdesk',
  COORDINATION: null,
};

const slug = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/(^-|-$)/g, '');

/** The partner ids of the generated network, in a fixed order (the demo ones first). */
function partnerList(): Partner[] {
  const list: Partner[] = Object.values(demo.partners).map((partner, index) => ({
    ...partner,
    commune: COMMUNES[(index * 5) % COMMUNES.length]!,
    generated: false,
  }));
  const add = (kind: Kind, total: number, prefix: string, label: string, deadline: number) => {
    const existing = list.filter((partner) => partner.kind === kind).length;
    for (let index = existing; index < total; index += 1) {
      const commune = COMMUNES[index % COMMUNES.length]!;
      const round = Math.floor(index / COMMUNES.length);
      const suffix = round === 0 ? '' : `-${round + 1}`;
      list.push({
        id: `${prefix}-${slug(commune[0])}${suffix}`,
        name: `${label} ${commune[0]}${round === 0 ? '' : ` ${round + 1}`}`,
        kind,
        responseDeadlineDays: deadline,
        commune,
        generated: true,
      });
    }
  };
  add('HOUSING_AGENCY', SCALE.housingAgencies, 'ais', 'AIS', 10);
  add('TRAINING', SCALE.trainingPartners, 'formation', 'Formation numérique', 7);
  add('HOMEWORK_SCHOOL', SCALE.homeworkSchools, 'edd', 'École de devoirs', 14);
  add('WOMEN_NETWORK', SCALE.womenNetworks, 'femmes', 'Femmes et numérique', 5);
  return list;
}

export const PARTNERS: readonly Partner[] = partnerList();
export const partnersOf = (kind: Kind) => PARTNERS.filter((partner) => partner.kind === kind);

/** The id of generated person number `index` (0 to SCALE.people - 1). */
export const personId = (index: number) => nameId(`person:${index}`);

/** A partner's staff subject, as the demo data names it. */
export const staffOf = (partnerId: string) => demo.staffOf(partnerId);

export interface Link {
  basis: 'REGISTERED' | 'REFERRAL' | 'CONSENT';
  since: Date;
}

export interface Site {
  id: string;
  partnerId: string;
  name: string;
  kind: demo.SiteKind;
  street: string;
  postalCode: string;
  municipality: string;
}

/** The shared part of the dataset, and who knows whom as the partner datasets are drawn. */
export class World {
  readonly random = new Random(20_261_123);
  readonly people: Person[] = [];
  /** People by index who are children (born 2010 or later): pupils, household children. */
  readonly children: number[] = [];
  readonly adults: number[] = [];
  readonly sites: Site[] = [];
  readonly courses: Course[] = [];
  /** person id → partner id → link; the first partner to know someone registered them. */
  readonly links = new Map<string, Map<string, Link>>();

  constructor() {
    for (let index = 0; index < SCALE.people; index += 1) this.people.push(this.person(index));
    for (const partner of PARTNERS) if (partner.generated) this.addSites(partner);
  }

  private person(index: number): Person {
    const r = this.random;
    // The journey cohort are adults; about one person in six is a child or a teenager.
    const child = index >= SCALE.journeyCohort && r.chance(0.16);
    const birthYear = child ? r.int(2010, 2020) : r.int(1945, 2006);
    (child ? this.children : this.adults).push(index);
    const languages = new Set<string>([r.weighted(LANGUAGES, LANGUAGE_WEIGHTS)]);
    if (r.chance(0.45)) languages.add(r.weighted(LANGUAGES, LANGUAGE_WEIGHTS));
    return {
      id: personId(index),
      givenName: r.pick(GIVEN_NAMES),
      familyName: r.pick(FAMILY_NAMES),
      birthYear,
      preferredLanguages: [...languages],
      municipality: r.pick(COMMUNES)[0],
    };
  }

  private addSites(partner: Partner): void {
    const r = this.random;
    const [municipality, postalCode] = partner.commune;
    const site = (key: string, name: string, kind: demo.SiteKind) => {
      const created: Site = {
        id: nameId(`site:${partner.id}:${key}`),
        partnerId: partner.id,
        name,
        kind,
        street: `${r.pick(STREETS)} ${r.int(1, 240)}`,
        postalCode,
        municipality,
      };
      this.sites.push(created);
      return created;
    };
    site(
      'office',
      `${partner.name} — accueil`,
      partner.kind === 'HOMEWORK_SCHOOL' ? 'SCHOOL' : 'OFFICE',
    );
    if (partner.kind === 'HOUSING_AGENCY') {
      site('room-1', `Salle communautaire ${partner.name} 1`, 'COMMUNITY_ROOM');
      site('room-2', `Salle communautaire ${partner.name} 2`, 'COMMUNITY_ROOM');
    }
    if (partner.kind === 'TRAINING') {
      site('classroom-1', `${partner.name} — salle informatique`, 'CLASSROOM');
      site('classroom-2', `${partner.name} — salle 2`, 'CLASSROOM');
    }
  }

  /** Every site of a partner, the demo ones included. */
  sitesOf(partnerId: string): { id: string; kind: string; municipality: string }[] {
    return [
      ...Object.values(demo.sites).filter((site) => site.partnerId === partnerId),
      ...this.sites.filter((site) => site.partnerId === partnerId),
    ];
  }

  /** Records that `partnerId` knows the person; the first partner to know them registered them. */
  link(personIdValue: string, partnerId: string, since: Date): void {
    let known = this.links.get(personIdValue);
    if (!known) this.links.set(personIdValue, (known = new Map()));
    const existing = known.get(partnerId);
    if (existing) {
      if (since < existing.since) existing.since = since;
      return;
    }
    known.set(partnerId, { basis: known.size === 0 ? 'REGISTERED' : 'REFERRAL', since });
  }

  /** A random instant of the generated history, at office hours. */
  instantBetween(from: Date, to: Date): Date {
    const days = Math.floor((to.getTime() - from.getTime()) / 86_400_000);
    const day = plusDays(from, this.random.int(0, Math.max(0, days)));
    day.setUTCHours(this.random.int(7, 16), this.random.int(0, 59), 0, 0);
    return day;
  }
}
