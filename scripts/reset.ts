// `pnpm reset`: deletes the embedded databases under .data/ so the next `pnpm start` migrates
// and seeds them afresh. Development secrets are kept. Stop the stack first.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { listSubgraphs } from '@passerelle/schema';
import { repositoryRoot } from '@passerelle/service';

const dataDir = path.join(repositoryRoot, '.data');
const names = new Set(listSubgraphs().map((entry) => entry.name));
let removed = 0;
const present = existsSync(dataDir) ? readdirSync(dataDir, { withFileTypes: true }) : [];
for (const entry of present) {
  if (!entry.isDirectory() || !names.has(entry.name)) continue;
  rmSync(path.join(dataDir, entry.name), { recursive: true, force: true });
  removed += 1;
}
console.log(
  removed ? `Removed ${removed} embedded database(s) from .data/.` : 'Nothing to remove.',
);
