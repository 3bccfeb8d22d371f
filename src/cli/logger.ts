/**
 * Structured logs for people and log shippers (pino, JSON lines). Used by the main thread and tools;
 * the hot path never logs per message. Credentials are redacted by path wherever they could appear.
 */
import { pino, type Logger } from 'pino';

export function createLogger(name: string, level = process.env.KFIX_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    // Whole `credentials` objects go, one level down too ({ config }: the engine config carries secretBase64).
    redact: {
      paths: [
        'apiSecret', 'secret', 'secretBase64', 'password', 'credentials',
        '*.apiSecret', '*.secret', '*.secretBase64', '*.password', '*.credentials',
      ],
      censor: '[redacted]',
    },
  });
}
export type { Logger };
