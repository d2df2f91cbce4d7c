import { runSubgraph, stopOnSignals, subgraphEnv } from '@passerelle/service';
import { network } from './subgraph.ts';

const running = await runSubgraph(
  network,
  subgraphEnv(network.name, network.defaultPort, process.env),
);
stopOnSignals(running, running.log);
