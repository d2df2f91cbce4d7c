// `pnpm seed [--scale demo|brussels] [--force] [--data-dir <dir>]`: seeds PostgreSQL when
// PASSERELLE_DATABASE_URL is set (one database `passerelle_<subgraph>` each), otherwise the
// embedded databases under .data/<subgraph>/ (or --data-dir).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultTarget } from '../databases.ts';
import { seed, SCALES, type Scale } from '../seed.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: 'demo' },
      force: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
    },
  });
  const scale = values.scale as Scale;
  if (!SCALES.includes(scale)) {
    console.error(`--scale must be one of: ${SCALES.join(', ')}`);
    process.exit(2);
  }
  const target = defaultTarget();
  if (values['data-dir']) target.dataRoot = path.resolve(values['data-dir']);
  try {
    await seed({ scale, force: values.force, target });
  } catch (error) {
    // A failed statement's text can be long: its first lines say enough.
    console.error(String((error as Error).message).slice(0, 2000));
    process.exit(1);
  }
}

await main();
