// `pnpm schema:check [--base <git ref>]` composes every subgraph and compares the result with a
// base supergraph: the committed one (`HEAD`) unless told otherwise. It prints composition
// errors, and breaking changes (removed or retyped fields, arguments or enum values, inputs made
// required) per subgraph. A breaking change fails the check unless its coordinate, for example
// `Beneficiary.housing`, appears in schema/breaking-changes.md, the file reviewers read.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from '@passerelle/service';
import {
  buildSchema,
  findBreakingChanges,
  findDangerousChanges,
  Kind,
  parse,
  type DirectiveNode,
  type DocumentNode,
} from 'graphql';
import { composeRepository, SUPERGRAPH_PATH } from './compose.ts';

export const ACKNOWLEDGEMENTS_PATH = path.join(repositoryRoot, 'schema', 'breaking-changes.md');

export interface SchemaChange {
  /** `Type` or `Type.field` the change is about. */
  coordinate: string;
  description: string;
  /** The subgraphs that defined what changed, from the base supergraph's join directives. */
  subgraphs: string[];
  acknowledged: boolean;
}

export interface SchemaReport {
  breaking: SchemaChange[];
  dangerous: SchemaChange[];
}

/** Federation's own types and directives change with the composition version; not the API's. */
const isFederationMachinery = (coordinate: string) =>
  /^(join__|link__|link$|join$)/.test(coordinate);

function coordinateOf(description: string): string {
  const enumValue = /^(\w+) was (?:added to|removed from) enum type (\w+)/.exec(description);
  if (enumValue) return `${enumValue[2]}.${enumValue[1]}`;
  return (
    /\b([A-Za-z_]\w*\.[A-Za-z_]\w*)\b/.exec(description)?.[1] ??
    /\b([A-Z]\w*)\b/.exec(description.replace(/^(Type|Enum value|Input field)\s+/, ''))?.[1] ??
    description
  );
}

const stringArg = (directive: DirectiveNode, name: string) => {
  const arg = directive.arguments?.find((a) => a.name.value === name)?.value;
  return arg?.kind === Kind.STRING || arg?.kind === Kind.ENUM ? arg.value : undefined;
};

/** Which subgraphs define each type and field of a supergraph, by coordinate. */
function owners(document: DocumentNode): Map<string, string[]> {
  const graphNames = new Map<string, string>();
  const owned = new Map<string, string[]>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph') {
      for (const value of definition.values ?? []) {
        const graph = value.directives?.find((d) => d.name.value === 'join__graph');
        const name = graph && stringArg(graph, 'name');
        if (name) graphNames.set(value.name.value, name);
      }
    }
  }
  const graphsOf = (directives: readonly DirectiveNode[] | undefined, directive: string) =>
    (directives ?? [])
      .filter((d) => d.name.value === directive)
      .map((d) => graphNames.get(stringArg(d, 'graph') ?? '') ?? '')
      .filter(Boolean);
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    const type = definition.name.value;
    const typeGraphs = graphsOf(definition.directives, 'join__type');
    owned.set(type, typeGraphs);
    const members =
      'fields' in definition ? definition.fields : 'values' in definition ? definition.values : [];
    for (const member of members ?? []) {
      const fieldGraphs = graphsOf(member.directives, 'join__field');
      const valueGraphs = graphsOf(member.directives, 'join__enumValue');
      const graphs = fieldGraphs.length
        ? fieldGraphs
        : valueGraphs.length
          ? valueGraphs
          : typeGraphs;
      owned.set(`${type}.${member.name.value}`, [...new Set(graphs)]);
    }
  }
  return owned;
}

/** Compares two supergraphs; `acknowledged` is the text of schema/breaking-changes.md. */
export function compareSupergraphs(
  baseSdl: string,
  nextSdl: string,
  acknowledged: string,
): SchemaReport {
  const base = parse(baseSdl);
  const next = parse(nextSdl);
  const ownedBefore = owners(base);
  const ownedAfter = owners(next);
  const describe = (change: { description: string }): SchemaChange => {
    const coordinate = coordinateOf(change.description);
    const type = coordinate.split('.')[0]!;
    const subgraphs =
      ownedBefore.get(coordinate) ??
      ownedAfter.get(coordinate) ??
      ownedBefore.get(type) ??
      ownedAfter.get(type) ??
      [];
    return {
      coordinate,
      description: change.description,
      subgraphs,
      acknowledged: acknowledged.includes(`\`${coordinate}\``),
    };
  };
  const [before, after] = [buildSchema(baseSdl), buildSchema(nextSdl)];
  const keep = (change: SchemaChange) => !isFederationMachinery(change.coordinate);
  return {
    breaking: findBreakingChanges(before, after).map(describe).filter(keep),
    dangerous: findDangerousChanges(before, after).map(describe).filter(keep),
  };
}

function baseSupergraph(ref: string | undefined): { sdl: string; label: string } {
  const relative = path.relative(repositoryRoot, SUPERGRAPH_PATH);
  const gitRef = ref ?? 'HEAD';
  try {
    const sdl = execFileSync('git', ['show', `${gitRef}:${relative}`], {
      cwd: repositoryRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { sdl, label: `${relative} at ${gitRef}` };
  } catch {
    if (ref) throw new Error(`No ${relative} at ${ref}`);
    return { sdl: readFileSync(SUPERGRAPH_PATH, 'utf8'), label: relative };
  }
}

async function main(args: string[]): Promise<number> {
  const refAt = args.indexOf('--base');
  const ref = refAt >= 0 ? args[refAt + 1] : undefined;
  const composition = await composeRepository();
  if (!composition.ok) {
    console.error(`Composition failed:\n${composition.errors.map((e) => `  - ${e}`).join('\n')}`);
    return 1;
  }
  const base = baseSupergraph(ref);
  const acknowledged = existsSync(ACKNOWLEDGEMENTS_PATH)
    ? readFileSync(ACKNOWLEDGEMENTS_PATH, 'utf8')
    : '';
  const report = compareSupergraphs(base.sdl, composition.supergraphSdl, acknowledged);
  const line = (change: SchemaChange) =>
    `  - [${change.subgraphs.join(', ') || '?'}] ${change.description}${
      change.acknowledged ? ' (acknowledged)' : ''
    }`;
  console.log(`Compared with ${base.label}.`);
  if (report.dangerous.length) {
    console.log(`Changes that may surprise clients:\n${report.dangerous.map(line).join('\n')}`);
  }
  if (report.breaking.length) {
    console.log(`Breaking changes:\n${report.breaking.map(line).join('\n')}`);
  }
  const unacknowledged = report.breaking.filter((change) => !change.acknowledged);
  if (unacknowledged.length) {
    console.error(
      `\n${unacknowledged.length} breaking change(s) not acknowledged. If they are intended, list ` +
        `each coordinate (such as \`${unacknowledged[0]!.coordinate}\`) in ` +
        `${path.relative(repositoryRoot, ACKNOWLEDGEMENTS_PATH)} with why and how clients move on.`,
    );
    return 1;
  }
  console.log(
    report.breaking.length ? 'Every breaking change is acknowledged.' : 'No breaking change.',
  );
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
