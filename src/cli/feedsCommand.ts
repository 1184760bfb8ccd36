import type { Command } from 'commander';
import { registerFeedsCheckCommand } from './feeds/checkCommand';
import { registerFeedsListCommand } from './feeds/listCommand';

/** `uk-chargers feeds …`: the open-data feed catalogue. */
export function registerFeedsCommand(program: Command): void {
  const feeds = program
    .command('feeds')
    .description('inspect and try the open-data feed catalogue (FEEDS_FILE, else feeds/uk-operators.yaml)')
    .addHelpText('after', '\nThe catalogue and its fields: README, "Feed catalogue".');
  registerFeedsListCommand(feeds);
  registerFeedsCheckCommand(feeds);
}
