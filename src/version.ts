import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `uk-chargers@<version>` from package.json, recorded in every manifest. */
export const CODE_VERSION: string = (() => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return `uk-chargers@${pkg.version}`;
})();
