// The 21 competences of DigComp 2.2, the EU Digital Competence Framework.
export const DIGCOMP_VERSION = '2.2';

export const digCompCompetences: Readonly<Record<string, string>> = {
  '1.1': 'Browsing, searching and filtering data, information and digital content',
  '1.2': 'Evaluating data, information and digital content',
  '1.3': 'Managing data, information and digital content',
  '2.1': 'Interacting through digital technologies',
  '2.2': 'Sharing through digital technologies',
  '2.3': 'Engaging in citizenship through digital technologies',
  '2.4': 'Collaborating through digital technologies',
  '2.5': 'Netiquette',
  '2.6': 'Managing digital identity',
  '3.1': 'Developing digital content',
  '3.2': 'Integrating and re-elaborating digital content',
  '3.3': 'Copyright and licences',
  '3.4': 'Programming',
  '4.1': 'Protecting devices',
  '4.2': 'Protecting personal data and privacy',
  '4.3': 'Protecting health and well-being',
  '4.4': 'Protecting the environment',
  '5.1': 'Solving technical problems',
  '5.2': 'Identifying needs and technological responses',
  '5.3': 'Creatively using digital technologies',
  '5.4': 'Identifying digital competence gaps',
};

/** DigComp 2.2 proficiency levels: 1–2 foundation, 3–4 intermediate, 5–6 advanced, 7–8 highly specialised. */
export const DIGCOMP_LEVELS = { min: 1, max: 8 } as const;
