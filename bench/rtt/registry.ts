/**
 * The series the round-trip benchmark knows, in report order. QuickFIX is the reference every
 * ratio is taken against. Adding a series is one line here (plus its module).
 */
import { JspurefixSeries } from './jspurefix-series.js';
import { KfixSeries } from './kfix-series.js';
import { QuickfixSeries } from './quickfix.js';
import type { RttSeries } from './types.js';

export const REFERENCE_SERIES = 'quickfix';

/**
 * Run order: the two in-process JavaScript series share this process's heap, so kfix runs before
 * jspurefix; otherwise jspurefix's garbage is collected during kfix's run and shows in kfix's tail.
 */
export function createSeries(): RttSeries[] {
  return [new QuickfixSeries(), new KfixSeries(), new JspurefixSeries()];
}

/** Ids every JSON report carries (null values when a series did not run). */
export const SERIES_IDS = ['quickfix', 'jspurefix', 'kfix'] as const;
