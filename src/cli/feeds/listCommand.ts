import type { Command } from 'commander';
import type * as ListActionModule from './listAction';

export function registerFeedsListCommand(feeds: Command): void {
  feeds
    .command('list')
    .description('list the catalogue: id, name, enabled, paging, host and whether each secret is set (by name)')
    .option('--json', 'print one JSON object per feed, one per line')
    .addHelpText(
      'after',
      '\nValidates the whole configuration first, the catalogue included; every problem is listed, exit code 1.\n' +
        "Secrets are shown by their variable's name and whether this environment sets it, never by value.",
    )
    .action(async (options: { json?: boolean }) => {
      const { feedsListAction } = require('./listAction') as typeof ListActionModule;
      await feedsListAction(options);
    });
}
