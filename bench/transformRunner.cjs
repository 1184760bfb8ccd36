'use strict';
// The transform's own time, without the CLI's start-up: the code path of
// `uk-chargers transform` (file stream → transformPayload → FileStore) from the
// compiled dist/, timed in-process. Also times the steady part of the run, from
// the first progress report (8 MiB in, by when V8 has optimized the scanner) to
// the CSV stored, for the per-device cost without start-up and warm-up.
// Prints {"seconds":…,"steady":{"seconds":…,"devices":…}|null,"stats":{…}}.
const { createReadStream } = require('node:fs');
const { basename, dirname, resolve } = require('node:path');
const { DigestStream } = require('../dist/streams/digestStream');
const { FileStore } = require('../dist/storage/fileStore');
const { transformPayload } = require('../dist/transform/pipeline');

async function main(input, output) {
  const started = process.hrtime.bigint();
  let mark;
  const onProgress = ({ devicesSeen }) => {
    mark ??= { time: process.hrtime.bigint(), devicesSeen };
  };
  const target = resolve(output);
  const csv = new DigestStream();
  const stored = new FileStore(dirname(target)).put(basename(target), csv, { contentType: 'text/csv' });
  // 1 MiB reads, as the transform command's (and the file store's).
  const stats = await transformPayload(createReadStream(input, { highWaterMark: 1 << 20 }), csv, { onProgress });
  await stored;
  const ended = process.hrtime.bigint();
  const seconds = (from) => Number(ended - from) / 1e9;
  const steady = mark && { seconds: seconds(mark.time), devices: stats.devicesSeen - mark.devicesSeen };
  console.log(JSON.stringify({ seconds: seconds(started), steady, stats }));
}

main(process.argv[2], process.argv[3]).catch((error) => {
  console.error(error);
  process.exit(1);
});
