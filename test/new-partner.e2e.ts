// `pnpm new-partner` for a throwaway partner, in a temporary copy of the repository: the new
// subgraph typechecks, composes into the supergraph, and its generated tests pass through the
// real gateway with every other subgraph.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repositoryRoot } from '@passerelle/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let copy: string;

const sh = (command: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  execFileSync(command, args, {
    cwd: copy,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, NODE_ENV: 'test' },
    maxBuffer: 64 * 1024 * 1024,
  });

// The scaffold does not depend on the database: the PostgreSQL pass of the suite skips it.
describe.skipIf(Boolean(process.env['PASSERELLE_TEST_DATABASE_URL']))('pnpm new-partner', () => {
  beforeAll(() => {
    copy = mkdtempSync(path.join(tmpdir(), 'passerelle-new-partner-'));
    // The repository as committed or about to be (no databases, no node_modules).
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], {
      cwd: repositoryRoot,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((file) => file && !file.startsWith('.data/'));
    execFileSync('tar', ['-cf', path.join(copy, 'repo.tar'), ...files], { cwd: repositoryRoot });
    execFileSync('tar', ['-xf', 'repo.tar'], { cwd: copy });
    rmSync(path.join(copy, 'repo.tar'));
    sh('pnpm', ['install', '--offline', '--silent']);
  }, 300_000);

  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('refuses a bad slug or a missing name without writing anything', () => {
    const demoData = path.join(copy, 'packages', 'demo-data', 'src', 'index.ts');
    const before = [readdirSync(path.join(copy, 'subgraphs')), readFileSync(demoData, 'utf8')];
    for (const args of [['Bad-Slug', '--name', 'X'], ['network', '--name', 'X'], ['scratch']]) {
      expect(() => sh('pnpm', ['-s', 'new-partner', ...args])).toThrow(/Usage/);
    }
    expect([readdirSync(path.join(copy, 'subgraphs')), readFileSync(demoData, 'utf8')]).toEqual(
      before,
    );
  });

  it('creates a subgraph that typechecks, composes and passes its own tests', () => {
    sh('pnpm', [
      '-s',
      'new-partner',
      'scratch',
      '--name',
      'Scratch Asbl',
      '--partner-id',
      'scratch-asbl',
    ]);
    sh('node_modules/.bin/tsc', ['--noEmit', '-p', 'subgraphs/scratch']);
    sh('node_modules/.bin/tsc', ['--noEmit', '-p', 'packages/demo-data']);
    sh('pnpm', ['-s', 'compose:check']);
    const supergraph = readFileSync(path.join(copy, 'schema', 'supergraph.graphql'), 'utf8');
    expect(supergraph).toMatch(/SCRATCH @join__graph\(name: "scratch"/);
    expect(supergraph).toMatch(/scratch: ScratchBeneficiaryFacet/);
    const tests = sh('pnpm', ['exec', 'vitest', 'run', '--project', 'unit', 'subgraphs/scratch'], {
      TEST_LOG_LEVEL: 'silent',
    });
    expect(tests).toMatch(/5 passed/);
  }, 600_000);
});
