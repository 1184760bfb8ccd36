import type { Command } from 'commander';
import type * as CheckActionModule from './checkAction';

export function registerFeedsCheckCommand(feeds: Command): void {
  feeds
    .command('check')
    .description(
      'fetch page 1 of each enabled feed (or of one) and print status, latency, shape, item count and whether a next page follows',
    )
    .option('--id <id>', 'check only this feed (even when it is disabled)')
    .option('--json', 'print one JSON object per feed, one per line')
    .addHelpText(
      'after',
      '\nPages go to a temporary directory, removed afterwards. Requests to one host keep its minIntervalMs apart.\n' +
        'A feed whose secret is not set is skipped, naming the variable. Exit code 1 when any feed failed.',
    )
    .action(async (options: { id?: string; json?: boolean }) => {
      const { feedsCheckAction } = require('./checkAction') as typeof CheckActionModule;
      await feedsCheckAction(options);
    });
}
