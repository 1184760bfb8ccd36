import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { DEFAULTS } from '../defaults';
import { ConfigError } from '../domain/errors';
import { redactUrl, urlCarriesCredentials } from '../domain/redact';
import { PAGING_MODES, type FeedAuth, type FeedDefinition, type PagingMode } from '../domain/feed';

/**
 * The catalogue shipped with the package. Two levels below the package root both
 * from source (src/feeds/) and built (dist/feeds/), so tsx and node find it alike.
 */
export const BUNDLED_FEEDS_FILE = join(__dirname, '..', '..', DEFAULTS.feedsFile);

/** The validated feed catalogue: every feed, enabled or not, in file order (the order of the published CSV). */
export interface FeedCatalogue {
  /** The file it was read from. */
  path: string;
  feeds: FeedDefinition[];
}

const ID = /^[a-z0-9_-]+$/;
/** POSIX environment variable names (what a shell can export). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** RFC 9110 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FEED_KEYS = new Set([
  'id',
  'name',
  'url',
  'enabled',
  'paging',
  'pageSize',
  'auth',
  'minIntervalMs',
  'maxRequestsPerHour',
]);
const AUTH_KEYS = new Set(['header', 'query', 'scheme', 'secretEnv']);

/** Reads and validates a catalogue file; throws one ConfigError listing every problem. */
export function loadCatalogue(path: string): FeedCatalogue {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError([`feed catalogue ${path} cannot be read (${reason})`]);
  }
  return parseCatalogue(text, path);
}

/**
 * Validates catalogue YAML. Every problem is collected, each naming the file and
 * the feed (by id, or by index when it has no usable id), before one ConfigError.
 */
export function parseCatalogue(text: string, path: string): FeedCatalogue {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new ConfigError(document.errors.map((error) => `feed catalogue ${path}: invalid YAML: ${error.message}`));
  }
  const root: unknown = document.toJS();
  const problems: string[] = [];
  const feeds: FeedDefinition[] = [];
  if (!isPlainObject(root) || !Array.isArray(root.feeds)) {
    throw new ConfigError([`feed catalogue ${path}: expected a mapping with a \`feeds:\` list`]);
  }
  const unknownTop = Object.keys(root).filter((key) => key !== 'feeds');
  if (unknownTop.length > 0) problems.push(`feed catalogue ${path}: unknown top-level keys ${unknownTop.join(', ')}`);
  const seen = new Map<string, number>();
  root.feeds.forEach((entry: unknown, index: number) => {
    const feed = validateFeed(entry, index, path, problems);
    if (feed === undefined) return;
    const earlier = seen.get(feed.id);
    if (earlier !== undefined) {
      problems.push(`feed catalogue ${path}: feed ${feed.id} (#${index + 1}): id already used by feed #${earlier + 1}`);
      return;
    }
    seen.set(feed.id, index);
    feeds.push(feed);
  });
  if (root.feeds.length === 0) problems.push(`feed catalogue ${path}: \`feeds:\` lists no feed`);
  if (problems.length > 0) throw new ConfigError(problems);
  return { path, feeds };
}

/** One feed entry, or undefined when it has problems (added to `problems`). */
function validateFeed(entry: unknown, index: number, path: string, problems: string[]): FeedDefinition | undefined {
  const count = problems.length;
  if (!isPlainObject(entry)) {
    problems.push(`feed catalogue ${path}: feed #${index + 1}: expected a mapping of id, name, url, …`);
    return undefined;
  }
  const idOk = typeof entry.id === 'string' && ID.test(entry.id);
  const label = idOk ? `feed ${entry.id as string} (#${index + 1})` : `feed #${index + 1}`;
  const problem = (text: string) => problems.push(`feed catalogue ${path}: ${label}: ${text}`);

  if (!idOk) problem(`id must be a string of a-z, 0-9, _ and -, got ${show(entry.id)}`);
  for (const key of Object.keys(entry)) if (!FEED_KEYS.has(key)) problem(`unknown field ${key}`);
  const name = typeof entry.name === 'string' ? entry.name.trim() : '';
  if (name === '') problem(`name must be a non-blank string, got ${show(entry.name)}`);
  const url = validateUrl(entry.url, problem);
  const enabled = entry.enabled ?? true;
  if (typeof enabled !== 'boolean') problem(`enabled must be true or false, got ${show(entry.enabled)}`);
  const paging = entry.paging ?? 'auto';
  if (!PAGING_MODES.includes(paging as PagingMode)) {
    problem(`paging must be one of ${PAGING_MODES.join(', ')}, got ${show(entry.paging)}`);
  }
  const pageSize = entry.pageSize;
  if (pageSize !== undefined && !isPositiveInteger(pageSize)) {
    problem(`pageSize must be a positive integer, got ${show(pageSize)}`);
  }
  const minIntervalMs = entry.minIntervalMs ?? DEFAULTS.feedMinIntervalMs;
  if (typeof minIntervalMs !== 'number' || !Number.isSafeInteger(minIntervalMs) || minIntervalMs < 0) {
    problem(`minIntervalMs must be an integer of at least 0, got ${show(entry.minIntervalMs)}`);
  }
  const maxRequestsPerHour = entry.maxRequestsPerHour;
  if (maxRequestsPerHour !== undefined && !isPositiveInteger(maxRequestsPerHour)) {
    problem(`maxRequestsPerHour must be a positive integer, got ${show(maxRequestsPerHour)}`);
  }
  const auth = entry.auth === undefined ? undefined : validateAuth(entry.auth, problem);
  if (problems.length > count) return undefined;
  return {
    id: entry.id as string,
    name,
    url: url!,
    enabled: enabled as boolean,
    paging: paging as PagingMode,
    ...(pageSize === undefined ? {} : { pageSize: pageSize as number }),
    ...(auth === undefined ? {} : { auth }),
    minIntervalMs: minIntervalMs as number,
    ...(maxRequestsPerHour === undefined ? {} : { maxRequestsPerHour: maxRequestsPerHour as number }),
  };
}

function validateUrl(value: unknown, problem: (text: string) => void): string | undefined {
  if (typeof value !== 'string' || !URL.canParse(value)) {
    problem(
      `url must be an absolute http(s) URL, got ${typeof value === 'string' ? 'text that is not one' : show(value)}`,
    );
    return undefined;
  }
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problem(`url must be http(s), got ${url.protocol.slice(0, -1)}`);
    return undefined;
  }
  if (urlCarriesCredentials(value)) {
    // Credentials belong in the environment (auth.secretEnv), never in the catalogue.
    problem(`url must not carry credentials (${redactUrl(value)}): name their variable with auth.secretEnv`);
    return undefined;
  }
  return value;
}

function validateAuth(value: unknown, problem: (text: string) => void): FeedAuth | undefined {
  if (!isPlainObject(value)) {
    problem('auth must be a mapping with header or query, and secretEnv');
    return undefined;
  }
  for (const key of Object.keys(value)) if (!AUTH_KEYS.has(key)) problem(`unknown field auth.${key}`);
  const { header, query, scheme, secretEnv } = value;
  let ok = true;
  const fail = (text: string) => {
    ok = false;
    problem(text);
  };
  if ((header === undefined) === (query === undefined)) fail('auth must have exactly one of header or query');
  if (header !== undefined && (typeof header !== 'string' || !HEADER_NAME.test(header))) {
    fail(`auth.header must be a header name, got ${show(header)}`);
  }
  if (query !== undefined && (typeof query !== 'string' || query.trim() === '')) {
    fail(`auth.query must be a non-blank parameter name, got ${show(query)}`);
  }
  if (scheme !== undefined) {
    if (header === undefined) fail('auth.scheme applies to auth.header only');
    else if (typeof scheme !== 'string' || !HEADER_NAME.test(scheme)) {
      fail(`auth.scheme must be a single word such as Token or Bearer, got ${show(scheme)}`);
    }
  }
  if (typeof secretEnv !== 'string' || !ENV_NAME.test(secretEnv)) {
    // Not echoed: a value that is no variable name may be the secret itself, pasted in.
    fail('auth.secretEnv must name the environment variable holding the secret (letters, digits and _)');
  }
  if (!ok) return undefined;
  return header !== undefined
    ? {
        kind: 'header',
        name: header as string,
        ...(scheme === undefined ? {} : { scheme: scheme as string }),
        secretEnv: secretEnv as string,
      }
    : { kind: 'query', name: query as string, secretEnv: secretEnv as string };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** A value for a message: short, and never more than the file already shows. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
