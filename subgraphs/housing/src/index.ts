import { runSubgraph, stopOnSignals, subgraphEnv } from '@passerelle/service';
import { housing } from './subgraph.ts';

const running = await runSubgraph(
  housing,
  subgraphEnv(housing.name, housing.defaultPort, process.env),
);
stopOnSignals(running, running.log);
