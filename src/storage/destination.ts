import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../domain/errors';
import { redactUrl } from '../domain/redact';
import { blobKeyProblem } from './blobKey';

/** Where a destination URI points. */
export type Destination =
  | { kind: 's3'; bucket: string; /** '' or ending with '/' */ prefix: string }
  | { kind: 'file'; /** absolute */ dir: string };

const EXPECTED = 'expected s3://bucket/prefix/, file:./relative/dir or file:///absolute/dir';

/** S3 bucket naming rules: 3–63 lowercase letters, digits, dots and hyphens, starting and ending alphanumeric. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Parses `s3://bucket[/prefix]` (prefix normalised to end with '/') and
 * `file:` URIs: `file:./dir` and `file:dir` resolve against `cwd`,
 * `file:/abs`, `file:///abs` and `file://localhost/abs` are absolute.
 */
export function parseDestination(destination: string, cwd: string = process.cwd()): Destination {
  // Credentials can only hide in userinfo or the query; other destinations are shown exactly as written.
  const shown = /[@?]/.test(destination) ? redactUrl(destination) : destination;
  const problem = (what: string): ConfigError => new ConfigError([`destination "${shown}" ${what}; ${EXPECTED}`]);

  if (destination.startsWith('s3://')) {
    const rest = destination.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    const rawPrefix = slash === -1 ? '' : rest.slice(slash + 1);
    if (bucket === '') throw problem('has no bucket');
    if (bucket.includes('@'))
      throw problem("must not carry credentials: the worker takes them from the AWS SDK's default chain");
    if (!BUCKET_NAME.test(bucket) || bucket.includes('..')) throw problem(`has an invalid bucket name "${bucket}"`);
    const prefix = rawPrefix === '' || rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`;
    const prefixProblem = blobKeyProblem(prefix, 'prefix');
    if (prefixProblem !== undefined) throw problem(`has a prefix that ${prefixProblem}`);
    return { kind: 's3', bucket, prefix };
  }

  if (destination.startsWith('file:')) {
    const rest = destination.slice('file:'.length);
    if (rest === '') throw problem('has no directory');
    if (rest.startsWith('//')) {
      try {
        return { kind: 'file', dir: resolve(fileURLToPath(destination)) };
      } catch (error) {
        throw problem(`is not a local file URL (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    return { kind: 'file', dir: isAbsolute(rest) ? resolve(rest) : resolve(cwd, rest) };
  }

  throw problem('has an unsupported scheme');
}
