// Engine fault campaign, part 2: the client process and the venue's schedule (issue 9): a SIGKILLed
// engine restarted by its supervisor on the same journal, and the daily rollover done by the engine
// itself. Same rig and checker as connection.test.ts; strategy and limit faults are in limits.test.ts.
import { campaign } from './campaign.js';
import { rollover, sigkillRestart } from './scenarios.js';

campaign('engine fault campaign: process and schedule', [sigkillRestart, rollover]);
