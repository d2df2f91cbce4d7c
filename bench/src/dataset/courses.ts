// The 2,000 directory courses of the generated network: digital-skills courses of the training
// partners (many of them in the housing agencies' community rooms), homework clubs and admin
// help of the homework schools, and the women's networks' workshops.
import * as demo from '@passerelle/demo-data';
import { isoWeekday } from '@passerelle/service';
import { isoDay, nameId, plusDays } from './random.ts';
import { HISTORY_START, partnersOf, SCALE, type Course, type World } from './world.ts';

export const WEEKDAY_NAMES = [
  '',
  'Lundi',
  'Mardi',
  'Mercredi',
  'Jeudi',
  'Vendredi',
  'Samedi',
  'Dimanche',
];

const TRAINING_TITLES = [
  "Premiers pas avec l'ordinateur",
  'Le smartphone au quotidien',
  'E-mail et pièces jointes',
  'Démarches en ligne: MyMinfin, itsme, CPAS',
  'Chercher un emploi en ligne',
  'Bureautique: traitement de texte',
  'Sécurité en ligne',
  'Photos, vidéos et messagerie',
];
const WORKSHOP_TITLES = [
  'Atelier numérique entre femmes',
  'Sécurité en ligne et vie privée',
  'Mon téléphone, mes règles',
  'Démarches administratives entre femmes',
  'Parler de numérique avec ses enfants',
];

/** A Monday between `from` and `to`. */
function monday(world: World, from: Date, to: Date): string {
  const at = world.instantBetween(from, to);
  const day = isoDay(at);
  return isoDay(plusDays(new Date(`${day}T00:00:00Z`), (8 - isoWeekday(day)) % 7));
}

function languagesFor(world: World): string[] {
  const r = world.random;
  const languages = new Set(['fr']);
  if (r.chance(0.25)) languages.delete('fr');
  if (languages.size === 0 || r.chance(0.5)) languages.add(r.pick(['nl', 'ar', 'en', 'tr', 'uk']));
  if (r.chance(0.15)) languages.add(r.pick(['ar', 'en', 'es', 'pt', 'ro']));
  return [...languages];
}

/** The community rooms of the housing agencies: shared rooms where other partners teach. */
function communityRooms(world: World): string[] {
  return [
    ...Object.values(demo.sites)
      .filter((site) => site.kind === 'COMMUNITY_ROOM')
      .map((site) => site.id),
    ...world.sites.filter((site) => site.kind === 'COMMUNITY_ROOM').map((site) => site.id),
  ];
}

/** Draws every generated course into `world.courses`. */
export function generateCourses(world: World): void {
  const r = world.random;
  const rooms = communityRooms(world);
  const add = (course: Omit<Course, 'id' | 'schedule'>, key: string, hours: string) => {
    const weekday = WEEKDAY_NAMES[isoWeekday(course.startsOn)]!;
    world.courses.push({ ...course, id: nameId(`course:${key}`), schedule: `${weekday} ${hours}` });
  };
  const trainers = partnersOf('TRAINING');
  for (let index = 0; index < SCALE.trainingCourses; index += 1) {
    const partner = trainers[index % trainers.length]!;
    const own = world.sitesOf(partner.id).filter((site) => site.kind === 'CLASSROOM');
    const startsOn = monday(world, HISTORY_START, new Date('2027-01-31T00:00:00Z'));
    const weeks = r.int(12, 20);
    add(
      {
        partnerId: partner.id,
        kind: 'DIGITAL_INITIATION',
        title: r.pick(TRAINING_TITLES),
        languages: languagesFor(world),
        audience: r.weighted(['ADULTS', 'SENIORS', 'EVERYONE', 'PARENTS'], [5, 2, 2, 1]),
        siteId: r.chance(0.5) && rooms.length ? r.pick(rooms) : r.pick(own).id,
        startsOn,
        endsOn: isoDay(plusDays(new Date(`${startsOn}T00:00:00Z`), (weeks - 1) * 7)),
        capacity: r.int(18, 34),
      },
      `training:${index}`,
      r.pick(['9h30–12h00', '13h30–16h00', '18h00–20h30']),
    );
  }
  const schools = partnersOf('HOMEWORK_SCHOOL');
  for (let index = 0; index < SCALE.homeworkClubs + SCALE.adminHelpCourses; index += 1) {
    const school = schools[index % schools.length]!;
    const club = index < SCALE.homeworkClubs;
    add(
      {
        partnerId: school.id,
        kind: club ? 'HOMEWORK_CLUB' : 'ADMIN_HELP',
        title: club
          ? `Club devoirs ${index % 3 === 2 ? 'secondaire' : 'primaire'} ${Math.floor(index / schools.length) + 1}`
          : `Démarches en ligne pour parents ${Math.floor(index / schools.length) + 1}`,
        languages: club ? ['fr'] : languagesFor(world),
        audience: club ? (index % 3 === 2 ? 'TEENAGERS' : 'CHILDREN') : 'PARENTS',
        siteId: world.sitesOf(school.id)[0]!.id,
        startsOn: '2026-09-01',
        endsOn: '2027-06-30',
        capacity: club ? r.int(20, 40) : r.int(6, 12),
      },
      `homework:${index}`,
      club ? '15h30–17h30' : '13h00–15h00',
    );
  }
  const networks = partnersOf('WOMEN_NETWORK');
  for (let index = 0; index < SCALE.workshops; index += 1) {
    const network = networks[index % networks.length]!;
    const startsOn = monday(
      world,
      new Date('2025-09-01T00:00:00Z'),
      new Date('2027-01-31T00:00:00Z'),
    );
    add(
      {
        partnerId: network.id,
        kind: 'WORKSHOP',
        title: r.pick(WORKSHOP_TITLES),
        languages: languagesFor(world),
        audience: 'WOMEN',
        siteId: r.chance(0.4) && rooms.length ? r.pick(rooms) : world.sitesOf(network.id)[0]!.id,
        startsOn,
        endsOn: isoDay(plusDays(new Date(`${startsOn}T00:00:00Z`), 7 * 7)),
        capacity: r.int(10, 16),
      },
      `women:${index}`,
      '9h30–11h30',
    );
  }
}

export const coursesOf = (world: World, kind: demo.CourseKind, partnerId?: string) =>
  world.courses.filter(
    (course) => course.kind === kind && (partnerId === undefined || course.partnerId === partnerId),
  );

/** Whether a course runs on `day`, has ended before it, or starts after it. */
export function phaseOf(course: { startsOn: string; endsOn: string }, day: string) {
  if (course.endsOn < day) return 'ended' as const;
  if (course.startsOn > day) return 'upcoming' as const;
  return 'running' as const;
}
