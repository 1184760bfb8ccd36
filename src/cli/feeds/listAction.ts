import { loadConfig } from '../../config';
import type { FeedDefinition } from '../../domain/feed';

/** `uk-chargers feeds list`: the catalogue, secrets by name only. */
export async function feedsListAction(options: { json?: boolean }): Promise<void> {
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
