const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Durations as the temporal CLI writes them: `90s`, `15m`, `24h`, `1h30m`, `7d`.
 * Milliseconds, or undefined when the text is not such a duration (zero included).
 */
export function parseDurationMs(value: string): number | undefined {
  const text = value.trim();
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h|d)/g)];
  if (text === '' || parts.map((part) => part[0]).join('') !== text) return undefined;
  const ms = parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * DURATION_UNITS_MS[unit], 0);
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

/** 90000 → 1m30s, 86400000 → 1d. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, seconds] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= seconds) {
      parts.push(`${Math.floor(rest / seconds)}${unit}`);
      rest %= seconds;
    }
  }
  return parts.join('') || `${ms}ms`;
}
