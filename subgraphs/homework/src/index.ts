import { runSubgraph, stopOnSignals, subgraphEnv } from '@passerelle/service';
import { homework } from './subgraph.ts';

const running = await runSubgraph(
  homework,
  subgraphEnv(homework.name, homework.defaultPort, process.env),
);
stopOnSignals(running, running.log);
