import { runSubgraph, stopOnSignals, subgraphEnv } from '@passerelle/service';
import { training } from './subgraph.ts';

const running = await runSubgraph(
  training,
  subgraphEnv(training.name, training.defaultPort, process.env),
);
stopOnSignals(running, running.log);
