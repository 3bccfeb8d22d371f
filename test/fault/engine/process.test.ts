// Engine fault campaign, part 2: the client process, the venue's schedule and limits, the strategy
// (issue 9). Same rig and checker as connection.test.ts.
import { campaign } from './campaign.js';
import { fullQueue, rateLimits, rollover, sigkillRestart, strategyFault } from './scenarios.js';

campaign('engine fault campaign: process, schedule, strategy and limits', [sigkillRestart, rollover, strategyFault, fullQueue, rateLimits]);
