import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { FeedServer, serveRecordedFeeds } from './test/support/feedServer';

async function main() {
  const server = await FeedServer.start();
  const feeds = serveRecordedFeeds(server, { joltApiKey: 'jolt-secret', ecoToken: 'eco-secret' });
  for (const feed of feeds) feed.minIntervalMs = 500;
  feeds.push({ id: 'broken', name: 'Broken Ltd', url: server.url('/broken/locations'), minIntervalMs: 500 });
  feeds.push({ id: 'off', name: 'Off', url: server.url('/off'), enabled: false });
  writeFileSync('/tmp/manual/feeds.yaml', stringify({ feeds }));
  console.log('catalogue /tmp/manual/feeds.yaml', server.origin);
}
main();
