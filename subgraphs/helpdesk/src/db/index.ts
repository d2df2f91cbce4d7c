import type { Db } from '@passerelle/db';
import * as schema from './schema.ts';

export { schema };
export type HelpdeskDb = Db<typeof schema>;
