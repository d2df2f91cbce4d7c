import { runSubgraph, stopOnSignals, subgraphEnv } from '@passerelle/service';
import { women } from './subgraph.ts';

const running = await runSubgraph(women, subgraphEnv(women.name, women.defaultPort, process.env));
stopOnSignals(running, running.log);
