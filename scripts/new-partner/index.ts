// `pnpm new-partner <slug> --name "<display name>"` adds a partner's subgraph in the shape of
// every other one: schema with facets on Beneficiary, Course and Site, Drizzle schema and first
// migration, repository, batched resolvers, access rules on `decideFacet`, demo seed, tests and a
// README. Subgraphs are discovered from `subgraphs/*/src/subgraph.ts` by composition, `pnpm
// start`, the test kits and CI, so the only other edits are the new partner in the demo network
// (`packages/demo-data`) and its kind in network's `PartnerKind`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const TEMPLATE = path.join(import.meta.dirname, 'template');
const RESERVED = new Set(['network', 'gateway', 'schema', 'shared', 'service', 'test']);

export interface PartnerSpec {
  /** Subgraph name, facet field and consent category: `helpdesk`. */
  slug: string;
  /** Display name of the demo partner: `Maison du Net de Saint-Gilles`. */
  name: string;
  /** The demo partner's id in the directory: `helpdesk` unless given. */
  partnerId: string;
  /** Its `PartnerKind`: `HELPDESK` unless given. */
  kind: string;
  port: number;
}

const pascal = (words: string) =>
  words
    .split(/[^a-z0-9]+/i)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
const camel = (words: string) => {
  const name = pascal(words);
  return name[0]!.toLowerCase() + name.slice(1);
};

function existingSubgraphs(root: string): { name: string; port: number }[] {
  const dir = path.join(root, 'subgraphs');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => existsSync(path.join(dir, entry.name, 'src', 'subgraph.ts')))
    .map((entry) => {
      const source = readFileSync(path.join(dir, entry.name, 'src', 'subgraph.ts'), 'utf8');
      return { name: entry.name, port: Number(/defaultPort:\s*(\d+)/.exec(source)?.[1] ?? 0) };
    });
}

/** Checks the request and fills in the defaults; throws a sentence for the developer. */
export function specFrom(
  root: string,
  slug: string | undefined,
  options: { name?: string; partnerId?: string; kind?: string; port?: string },
): PartnerSpec {
  if (!slug || !/^[a-z][a-z0-9]{2,30}$/.test(slug)) {
    throw new Error('Give a slug of 3 to 31 lowercase letters and digits, for example `helpdesk`');
  }
  const existing = existingSubgraphs(root);
  if (RESERVED.has(slug) || existing.some((s) => s.name === slug)) {
    throw new Error(`A subgraph named ${slug} exists already (or the name is reserved)`);
  }
  if (!options.name?.trim()) throw new Error('Give the partner’s display name with --name');
  const partnerId = options.partnerId ?? slug;
  if (!/^[a-z][a-z0-9-]{1,62}$/.test(partnerId)) {
    throw new Error('--partner-id must be lowercase letters, digits and dashes');
  }
  const kind = options.kind ?? slug.toUpperCase();
  if (!/^[A-Z][A-Z0-9_]{2,40}$/.test(kind)) {
    throw new Error('--kind must be an enum value such as PUBLIC_HELP_DESK');
  }
  const port = options.port
    ? Number(options.port)
    : Math.max(4000, ...existing.map((s) => s.port)) + 1;
  if (!Number.isInteger(port) || port < 1024 || port > 65535) throw new Error('Bad --port');
  return { slug, name: options.name.trim(), partnerId, kind, port };
}

function tokens(spec: PartnerSpec): [string, string][] {
  return [
    ['__SLUG_ENV__', spec.slug.toUpperCase()],
    ['__Prefix__', pascal(spec.slug)],
    ['__camel__', camel(spec.slug)],
    ['__partnerKey__', camel(spec.partnerId)],
    ['__partnerId__', spec.partnerId],
    ['__PORT__', String(spec.port)],
    ['__Name__', spec.name],
    ['__slug__', spec.slug],
  ];
}

const fill = (text: string, pairs: [string, string][]) =>
  pairs.reduce((out, [token, value]) => out.split(token).join(value), text);

/** Writes `subgraphs/<slug>/` from the template. */
function writeSubgraph(root: string, spec: PartnerSpec): string[] {
  const pairs = tokens(spec);
  const target = path.join(root, 'subgraphs', spec.slug);
  const written: string[] = [];
  const walk = (from: string) => {
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const source = path.join(from, entry.name);
      if (entry.isDirectory()) {
        walk(source);
        continue;
      }
      const relative = fill(path.relative(TEMPLATE, source), pairs).replace(/\.tmpl$/, '');
      const destination = path.join(target, relative);
      mkdirSync(path.dirname(destination), { recursive: true });
      writeFileSync(destination, fill(readFileSync(source, 'utf8'), pairs));
      written.push(path.relative(root, destination));
    }
  };
  walk(TEMPLATE);
  return written;
}

/** Adds the demo partner to the demo network and its kind to network's `PartnerKind`. */
function registerPartner(root: string, spec: PartnerSpec): string[] {
  const demoPath = path.join(root, 'packages', 'demo-data', 'src', 'index.ts');
  let demo = readFileSync(demoPath, 'utf8');
  demo = demo.replace(
    /(export type PartnerKind =[^;]*?)('COORDINATION')/,
    (_, head: string, last: string) => `${head}'${spec.kind}' | ${last}`,
  );
  const partner = `  ${camel(spec.partnerId)}: {
    id: '${spec.partnerId}',
    name: ${JSON.stringify(spec.name)},
    kind: '${spec.kind}',
    responseDeadlineDays: 10,
  },
} as const satisfies Record<string, DemoPartner>;`;
  demo = demo.replace('} as const satisfies Record<string, DemoPartner>;', partner);
  writeFileSync(demoPath, demo);

  const networkPath = path.join(root, 'subgraphs', 'network', 'src', 'schema.graphql');
  const network = readFileSync(networkPath, 'utf8');
  const anchor = '  "The network\'s coordination team."\n  COORDINATION';
  if (!network.includes(anchor)) throw new Error('PartnerKind in network has changed shape');
  writeFileSync(
    networkPath,
    network.replace(
      anchor,
      `  ${JSON.stringify(`${spec.name} and partners like it.`)}\n  ${spec.kind}\n${anchor}`,
    ),
  );
  return [path.relative(root, demoPath), path.relative(root, networkPath)];
}

function run(root: string, command: string, args: string[], cwd = root, env = {}) {
  execFileSync(command, args, {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...env },
  });
}

export function newPartner(root: string, spec: PartnerSpec, options: { install: boolean }) {
  const files = [...writeSubgraph(root, spec), ...registerPartner(root, spec)];
  console.log(`Wrote ${files.length} files for ${spec.slug} (port ${spec.port}).`);
  if (options.install) {
    // Links the new workspace package; everything it needs is in the store already.
    // The lockfile gains the package: allowed even where CI=true makes pnpm freeze it.
    const install = ['install', '--no-frozen-lockfile', '--silent'];
    try {
      run(root, 'pnpm', [...install, '--offline']);
    } catch {
      run(root, 'pnpm', install);
    }
  }
  const dir = path.join(root, 'subgraphs', spec.slug);
  run(root, 'pnpm', ['exec', 'drizzle-kit', 'generate', '--name', 'init'], dir);
  run(root, 'pnpm', ['-s', 'codegen'], root, { CODEGEN_SUBGRAPH: spec.slug });
  run(root, 'pnpm', ['-s', 'codegen'], root, { CODEGEN_SUBGRAPH: 'network' });
  run(root, 'pnpm', [
    'exec',
    'prettier',
    '--log-level',
    'warn',
    '--write',
    dir,
    ...files.slice(-2),
  ]);
  run(root, 'pnpm', ['-s', 'compose']);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'partner-id': { type: 'string' },
      kind: { type: 'string' },
      port: { type: 'string' },
      root: { type: 'string' },
      'skip-install': { type: 'boolean', default: false },
    },
  });
  const root = path.resolve(values.root ?? path.join(import.meta.dirname, '..', '..'));
  let spec: PartnerSpec;
  try {
    spec = specFrom(root, positionals[0], {
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(values['partner-id'] !== undefined ? { partnerId: values['partner-id'] } : {}),
      ...(values.kind !== undefined ? { kind: values.kind } : {}),
      ...(values.port !== undefined ? { port: values.port } : {}),
    });
  } catch (error) {
    console.error((error as Error).message);
    console.error('Usage: pnpm new-partner <slug> --name "<display name>" [--partner-id <id>]');
    return 2;
  }
  newPartner(root, spec, { install: !values['skip-install'] });
  console.log(
    [
      '',
      `${spec.slug} is ready. Next:`,
      `  its tests, through the gateway:  pnpm exec vitest run --project unit subgraphs/${spec.slug}`,
      `  the stack, with ${spec.slug}:  pnpm start`,
      `  a token for its staff:  pnpm -s token --partner ${spec.partnerId} --role staff`,
      `Then shape src/schema.graphql and src/db/schema.ts to the partner's work: see`,
      'docs/onboarding-a-partner.md.',
    ].join('\n'),
  );
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main();
}
