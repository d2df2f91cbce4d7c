// `pnpm start`: the gateway and every subgraph, each in its own process, on 127.0.0.1.
// Ports: GATEWAY_PORT (4000) and <NAME>_PORT (for example HOUSING_PORT); data: embedded PGlite
// under .data/<subgraph>/ unless PASSERELLE_DATABASE_URL points at a PostgreSQL server.
import { listSubgraphs } from '@passerelle/schema';
import { createLogger, port, subgraphVariable } from '@passerelle/service';
import { startStack } from '@passerelle/stack';

const log = createLogger('start');

const subgraphPorts: Record<string, number> = {};
for (const { name } of listSubgraphs()) {
  const value = process.env[subgraphVariable(name, 'PORT')];
  if (value) subgraphPorts[name] = port(0).parse(value);
}
const gatewayPort = port(4000).parse(process.env['GATEWAY_PORT']);

const stack = await startStack({ gatewayPort, subgraphPorts }).catch((error: unknown) => {
  log.fatal({ err: error }, 'the stack did not start');
  process.exit(1);
});

const memoryMb = Math.round(stack.memoryBytes() / 1024 / 1024);
log.info(
  {
    gateway: stack.gatewayUrl,
    subgraphs: Object.fromEntries(
      stack.services.filter((s) => s.name !== 'gateway').map((s) => [s.name, s.url]),
    ),
    startMs: stack.startMs,
    memoryMb,
  },
  'Passerelle is ready',
);
process.stderr.write(
  `\nPasserelle is ready at ${stack.gatewayUrl} (started in ${(stack.startMs / 1000).toFixed(1)} s, ` +
    `${memoryMb} MB resident). Get a token with: pnpm -s token --partner ais-quartiers --role staff\n\n`,
);

let stopping = false;
const stop = (code: number) => {
  if (stopping) return;
  stopping = true;
  stack.stop().then(
    () => process.exit(code),
    () => process.exit(1),
  );
};
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));
void stack.unexpectedExit.then(({ name, code, signal }) => {
  log.error({ service: name, code, signal }, 'a service stopped unexpectedly; stopping the others');
  stop(1);
});
