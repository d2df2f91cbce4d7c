import type { Db } from '@passerelle/db';
import * as schema from './schema.ts';

export { schema };
export type WomenDb = Db<typeof schema>;
