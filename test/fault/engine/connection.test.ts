// Engine fault campaign, part 1: faults on the connection (issue 9). Our real engine (startEngine, the
// campaign strategy) -> seeded fault proxy -> Kraken simulator; after each case every ClOrdID is
// reconciled against the venue's own record (invariants.ts). Seeds: KFIX_CAMPAIGN_SEEDS / _RUNS.
import { campaign } from './campaign.js';
import { disconnectMidOrder, resendStorm, sequenceGap, simulatorRestart } from './scenarios.js';

campaign('engine fault campaign: connection faults', [disconnectMidOrder, sequenceGap, resendStorm, simulatorRestart]);
