// Femmes Connectées' demo operations: its two workshops over autumn 2026, their sessions,
// participations with childcare, attendance, safe-contact preferences and vulnerability factors.
import * as demo from '@passerelle/demo-data';
import { count } from 'drizzle-orm';
import type { WomenDb } from './index.ts';
import {
  participations,
  safeContactPreferences,
  sessionAttendance,
  vulnerabilityFactors,
  womenNetworks,
  workshops,
  workshopSessions,
  type ParticipationStatus,
  type VulnerabilityKind,
} from './schema.ts';

const { beneficiaries: B, courses: C, partners: P, staff } = demo;

/** Brussels wall-clock time to UTC: summer time (UTC+2) until 25 October 2026, then UTC+1. */
function brussels(day: string, time: string): Date {
  const offset = day < '2026-10-25' ? '+02:00' : '+01:00';
  return new Date(`${day}T${time}:00${offset}`);
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Weekly sessions from a first day, local start and end times, themes in turn. */
function weekly(
  course: demo.DemoCourse,
  firstDay: string,
  weeks: number,
  from: string,
  to: string,
  themes: string[],
) {
  return Array.from({ length: weeks }, (_, week) => {
    const day = addDays(firstDay, week * 7);
    return {
      id: demo.demoId(`women-session:${course.id}:${week}`),
      workshopId: course.id,
      startsAt: brussels(day, from),
      endsAt: brussels(day, to),
      theme: themes[week % themes.length]!,
    };
  });
}

export async function seedDemo(db: WomenDb): Promise<void> {
  const [existing] = await db.select({ n: count() }).from(womenNetworks);
  if ((existing?.n ?? 0) > 0) return;

  const network = P.femmes.id;
  const at = (iso: string) => new Date(iso);

  // Tuesdays 9h30–11h30, 15 September to 15 December 2026.
  const atelier = weekly(C.atelierFemmes, '2026-09-15', 14, '09:30', '11:30', [
    'Faire connaissance avec la tablette',
    'Créer et protéger son adresse e-mail',
    'Prendre rendez-vous en ligne (commune, médecin)',
    'Les messages vocaux et les appels vidéo',
    'Le site de l’école des enfants',
    'Payer et vérifier ses factures en ligne',
    'Itsme et la carte d’identité électronique',
  ]);
  // "Vendredi 10h00–12h00" in the directory: the Fridays from 9 October to 20 November 2026.
  const securite = weekly(C.securite, '2026-10-09', 7, '10:00', '12:00', [
    'Des mots de passe solides et un gestionnaire',
    'Reconnaître une arnaque par SMS ou par e-mail',
    'Qui a accès à mon téléphone? Applications espionnes et localisation',
    'Réglages de confidentialité de WhatsApp et Facebook',
    'Un téléphone ou une adresse e-mail à moi seule',
    'Que faire après un piratage? Porter plainte, demander de l’aide',
    'Bilan et ressources',
  ]);

  await db.transaction(async (tx) => {
    await tx
      .insert(womenNetworks)
      .values({ partnerId: network, name: P.femmes.name, createdAt: at('2026-06-01T08:00:00Z') });
    await tx.insert(workshops).values([
      {
        courseId: C.atelierFemmes.id,
        networkId: network,
        childcareAvailable: true,
        childcarePlaces: 3,
        facilitator: 'Aïcha',
        createdAt: at('2026-06-20T08:00:00Z'),
      },
      {
        courseId: C.securite.id,
        networkId: network,
        childcareAvailable: false,
        childcarePlaces: 0,
        facilitator: 'Nour',
        createdAt: at('2026-08-25T08:00:00Z'),
      },
    ]);
    await tx.insert(workshopSessions).values([...atelier, ...securite]);

    const participate = (
      course: demo.DemoCourse,
      beneficiaryId: string,
      registeredOn: string,
      status: ParticipationStatus,
      childrenCount = 0,
    ) => ({
      id: demo.demoId(`women-participation:${course.id}:${beneficiaryId}`),
      workshopId: course.id,
      networkId: network,
      beneficiaryId,
      registeredOn,
      status,
      childcareNeeded: childrenCount > 0,
      childrenCount,
      registeredBy: staff.femmes,
      updatedAt: at(`${registeredOn}T10:00:00Z`),
    });
    const tigist = participate(C.atelierFemmes, B.tigist.id, '2026-09-03', 'ATTENDING', 1);
    const amina = participate(C.atelierFemmes, B.amina.id, '2026-09-08', 'ATTENDING');
    const samira = participate(C.securite, B.samira.id, '2026-09-28', 'ATTENDING');
    const olena = participate(C.securite, B.olena.id, '2026-10-01', 'ATTENDING');
    await tx.insert(participations).values([tigist, amina, samira, olena]);

    const presence = (sessions: typeof atelier, participation: typeof tigist, pattern: boolean[]) =>
      sessions.slice(0, pattern.length).map((session, index) => ({
        sessionId: session.id,
        participationId: participation.id,
        present: pattern[index]!,
        childcareUsed: participation.childcareNeeded && pattern[index]!,
        recordedBy: staff.femmes,
        recordedAt: session.endsAt,
      }));
    await tx
      .insert(sessionAttendance)
      .values([
        ...presence(atelier, tigist, [true, true, true, false, true, true, true, true, true]),
        ...presence(atelier, amina, [true, false, true, true, true, false, true, true, true]),
        ...presence(securite, samira, [true, true, true, true, true]),
        ...presence(securite, olena, [true, true, false, true, true]),
      ]);

    await tx.insert(safeContactPreferences).values([
      {
        networkId: network,
        beneficiaryId: B.tigist.id,
        channel: 'SMS',
        allowedTimeWindows: 'En semaine entre 9h et 14h; jamais le soir ni le week-end',
        noVoicemail: true,
        discreetSender: true,
        codeWord: 'mimosa',
        updatedBy: staff.femmes,
        updatedAt: at('2026-09-03T10:15:00Z'),
      },
      {
        networkId: network,
        beneficiaryId: B.samira.id,
        channel: 'WHATSAPP',
        allowedTimeWindows: 'Du lundi au vendredi, 13h–15h (pendant l’école)',
        noVoicemail: true,
        discreetSender: false,
        codeWord: null,
        updatedBy: staff.femmes,
        updatedAt: at('2026-09-28T09:30:00Z'),
      },
    ]);

    const factors = (beneficiaryId: string, notedOn: string, kinds: VulnerabilityKind[]) =>
      kinds.map((kind) => ({
        networkId: network,
        beneficiaryId,
        kind,
        notedOn,
        notedBy: staff.femmes,
      }));
    await tx
      .insert(vulnerabilityFactors)
      .values([
        ...factors(B.tigist.id, '2026-09-03', ['SOCIAL', 'DIGITAL', 'GENDER']),
        ...factors(B.amina.id, '2026-09-08', ['DIGITAL']),
        ...factors(B.samira.id, '2026-09-28', ['DIGITAL', 'GENDER']),
        ...factors(B.olena.id, '2026-10-01', ['SOCIAL', 'DIGITAL']),
      ]);
  });
}
