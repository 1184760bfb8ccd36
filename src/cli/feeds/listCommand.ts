import type { Command } from 'commander';
import { loadConfig } from '../../config';
import type { FeedDefinition } from '../../domain/feed';

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
    .action((options: { json?: boolean }) => {
      const { catalogue } = loadConfig().feeds;
      const rows = catalogue.feeds.map((feed) => describeFeed(feed, process.env));
      if (options.json) {
        for (const row of rows) console.log(JSON.stringify(row));
        return;
      }
      console.log(`${catalogue.path}: ${rows.length} feeds`);
      const table = [
        ['ID', 'NAME', 'ENABLED', 'PAGING', 'HOST', 'SECRET'],
        ...rows.map((row) => [
          row.id,
          row.name,
          row.enabled ? 'yes' : 'no',
          row.paging,
          row.host,
          row.secretEnv === null ? '-' : `${row.secretEnv} ${row.secretSet ? 'set' : 'missing'}`,
        ]),
      ];
      const widths = table[0].map((_, column) => Math.max(...table.map((cells) => cells[column].length)));
      for (const cells of table)
        console.log(
          cells
            .map((cell, column) => cell.padEnd(widths[column]))
            .join('  ')
            .trimEnd(),
        );
    });
}

/** What `feeds list` shows of a feed: its secret only by name, and whether the environment sets it. */
function describeFeed(feed: FeedDefinition, env: NodeJS.ProcessEnv) {
  const secretEnv = feed.auth?.secretEnv ?? null;
  return {
    id: feed.id,
    name: feed.name,
    enabled: feed.enabled,
    paging: feed.paging,
    host: new URL(feed.url).host,
    secretEnv,
    secretSet: secretEnv === null ? null : Boolean(env[secretEnv]?.trim()),
  };
}
