/**
 * The series the round-trip benchmark knows, in report order. QuickFIX is the reference every
 * ratio is taken against. Adding a series is one line here (plus its module).
 */
import { JspurefixSeries } from './jspurefix-series.js';
import { KfixSeries } from './kfix-series.js';
import { QuickfixSeries } from './quickfix.js';
import { SIM_METRIC_KEYS, SimSeries } from './sim-series.js';
import type { RttSeries } from './types.js';

export const REFERENCE_SERIES = 'quickfix';

/**
 * Run order: the in-process JavaScript series share this process's heap, so the kfix ones run before
 * jspurefix; otherwise jspurefix's garbage is collected during kfix's run and shows in kfix's tail.
 */
export function createSeries(): RttSeries[] {
  return [new QuickfixSeries(), new KfixSeries(), new SimSeries('kfix_sim', false), new SimSeries('kfix_sim_tls', true), new JspurefixSeries()];
}

/** Ids every JSON report carries (null values when a series did not run). */
export const SERIES_IDS = ['quickfix', 'jspurefix', 'kfix', 'kfix_sim', 'kfix_sim_tls'] as const;

/** Figures a series reports beside its latencies (RttRunResult.metrics), by series id. */
export const SERIES_METRIC_KEYS: Readonly<Record<string, readonly string[]>> = {
  kfix_sim: SIM_METRIC_KEYS,
  kfix_sim_tls: SIM_METRIC_KEYS,
};
