// The Brussels-scale dataset, drawn in one pass: the shared network first, then each partner's
// operations (which record who they know), then the referrals and consents on top.
import { generateCourses } from './courses.ts';
import { generateHelpdesk } from './helpdesk.ts';
import { generateHomework } from './homework.ts';
import { generateHousing } from './housing.ts';
import { generateNetwork } from './network.ts';
import type { TableRows } from './rows.ts';
import { generateTraining } from './training.ts';
import { generateWomen } from './women.ts';
import { World } from './world.ts';

/** Generated rows by subgraph name; subgraphs left out keep their demo seed only. */
export type Dataset = Record<string, TableRows[]>;

export function generateBrussels(): Dataset {
  const world = new World();
  generateCourses(world);
  const housing = generateHousing(world);
  const training = generateTraining(world);
  const homework = generateHomework(world, housing.households);
  const women = generateWomen(world);
  const helpdesk = generateHelpdesk(world);
  const network = generateNetwork(world, housing.households);
  return { network, housing: housing.tables, training, homework, women, helpdesk };
}

export { type TableRows } from './rows.ts';
