// Engine fault campaign, part 3: the strategy (crash, stall), a full event queue, and the venue's rate
// limit and error-rate disconnect (issue 9). Same rig and checker as connection.test.ts.
import { campaign } from './campaign.js';
import { fullQueue, rateLimits, strategyFault } from './scenarios.js';

campaign('engine fault campaign: strategy faults and limits', [strategyFault, fullQueue, rateLimits]);
