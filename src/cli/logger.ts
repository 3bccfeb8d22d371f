/**
 * Structured logs for people and log shippers (pino, JSON lines). Used by the main thread and tools;
 * the hot path never logs per message. Credentials are redacted by path wherever they could appear.
 */
import { pino, type Logger } from 'pino';

export function createLogger(name: string, level = process.env.KFIX_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['apiSecret', 'secret', 'password', '*.apiSecret', '*.secret', '*.password', 'credentials.*'], censor: '[redacted]' },
  });
}
export type { Logger };
