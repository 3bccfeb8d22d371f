/**
 * The series the round-trip benchmark knows, in report order. QuickFIX is the reference every
 * ratio is taken against. Adding a series is one line here (plus its module).
 */
import { JspurefixSeries } from './jspurefix-series.js';
import { KfixSeries } from './kfix-series.js';
import { QuickfixSeries } from './quickfix.js';
import type { RttSeries } from './types.js';

export const REFERENCE_SERIES = 'quickfix';

export function createSeries(): RttSeries[] {
  return [new QuickfixSeries(), new JspurefixSeries(), new KfixSeries()];
}

/** Ids every JSON report carries (null values when a series did not run). */
export const SERIES_IDS = ['quickfix', 'jspurefix', 'kfix'] as const;
