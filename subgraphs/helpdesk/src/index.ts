import { runSubgraph, stopOnSignals, subgraphEnv } from '@passerelle/service';
import { helpdesk } from './subgraph.ts';

const running = await runSubgraph(
  helpdesk,
  subgraphEnv(helpdesk.name, helpdesk.defaultPort, process.env),
);
stopOnSignals(running, running.log);
