// Fails when a tracked file still holds merge-conflict markers: Prettier leaves prose
// alone, so a half-resolved README or RELIABILITY.md would otherwise pass the lint.
import { execFileSync } from 'node:child_process';
import process from 'node:process';

let found = '';
try {
  found = execFileSync('git', ['grep', '-nE', '^(<{7}|>{7}) ', '--', '.', ':!package-lock.json'], {
    encoding: 'utf8',
  });
} catch (error) {
  // git grep exits 1 when nothing matches.
  if (error.status !== 1) throw error;
}
if (found) {
  process.stderr.write(`merge-conflict markers left in:\n${found}`);
  process.exit(1);
}
