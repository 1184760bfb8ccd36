import { SourceError } from '../domain/errors';
import { redactUrl } from '../domain/redact';

/** Stands in for a URL that could not be parsed, so it can't be redacted and must not be echoed. */
const UNPARSEABLE_URL = '(unparseable URL)';

/** A URL we are about to request, split into what goes on the wire and what may be shown. */
export interface RequestTarget {
  /** The URL without userinfo; credentials travel in `auth` instead. */
  url: URL;
  /** The URL for messages and metadata, credentials redacted. */
  redacted: string;
  /** Basic-auth credentials taken from the URL's userinfo. */
  auth?: { username: string; password: string };
  /** Credential values in the URL or sent with it, raw and percent-encoded, so text echoed by the server can be scrubbed. */
  secrets: string[];
  /** Query parameters holding credentials beyond redact.ts's list (a feed's own), redacted here and after redirects. */
  secretParams: readonly string[];
}

/**
 * Parses a URL we were asked to fetch and applies the SSRF guard: only http and
 * https, and only `allowedHosts` when given (hostnames compared case-insensitively,
 * any port). Throws a non-retryable SourceError before anything is sent.
 */
export function parseTarget(
  raw: string,
  allowedHosts: readonly string[] | undefined,
  secretParams: readonly string[] = [],
): RequestTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SourceError('invalid registry URL: not an absolute URL', false, { url: UNPARSEABLE_URL });
  }
  const redacted = redactUrl(url.href, secretParams);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SourceError(`refusing to fetch ${redacted}: only http and https URLs are allowed`, false, {
      url: redacted,
    });
  }
  if (allowedHosts && !allowedHosts.some((host) => host.trim().toLowerCase() === url.hostname)) {
    throw new SourceError(
      `refusing to fetch ${redacted}: host ${url.hostname} is not in the allowed hosts (${allowedHosts.join(', ')})`,
      false,
      { url: redacted },
    );
  }
  const secrets = secretsIn(url, redacted);
  const auth =
    url.username || url.password
      ? { username: decodeUserinfo(url.username), password: decodeUserinfo(url.password) }
      : undefined;
  const wireUrl = new URL(url.href);
  wireUrl.username = '';
  wireUrl.password = '';
  return { url: wireUrl, redacted, auth, secrets, secretParams };
}

/**
 * The target a redirect points at, checked like the original. Basic auth follows
 * only within the same origin, as browsers and curl do, so credentials never leak
 * to another host.
 */
export function redirectTarget(
  from: RequestTarget,
  location: string,
  allowedHosts: readonly string[] | undefined,
  sourceName = 'registry',
): RequestTarget {
  let resolved: string;
  try {
    resolved = new URL(location, from.url).href;
  } catch {
    throw new SourceError(`${sourceName} at ${from.redacted} redirected to an invalid URL`, false, {
      url: from.redacted,
    });
  }
  const next = parseTarget(resolved, allowedHosts, from.secretParams);
  const sameOrigin = next.url.origin === from.url.origin;
  return {
    ...next,
    auth: next.auth ?? (sameOrigin ? from.auth : undefined),
    secrets: longestFirst([...from.secrets, ...next.secrets]),
  };
}

/** The target with more credential values to scrub (those sent in headers, say). */
export function withSecrets(target: RequestTarget, values: readonly string[]): RequestTarget {
  const encoded = values.flatMap((secret) => [secret, encodeURIComponent(secret)]);
  return { ...target, secrets: longestFirst([...target.secrets, ...encoded]) };
}

/** Replaces every credential value of `target` in `text` (server output may echo the request URL). */
export function scrubSecrets(text: string, target: RequestTarget): string {
  return target.secrets.reduce((scrubbed, secret) => scrubbed.split(secret).join('REDACTED'), text);
}

/** Userinfo and the query values redactUrl hides; found by comparing the URL with its redacted form. */
function secretsIn(url: URL, redacted: string): string[] {
  const secrets = [url.username, url.password, decodeUserinfo(url.username), decodeUserinfo(url.password)];
  const redactedParams = new URL(redacted).searchParams;
  for (const [name, value] of url.searchParams) {
    if (!redactedParams.getAll(name).includes(value)) secrets.push(value);
  }
  return longestFirst(secrets.flatMap((secret) => [secret, encodeURIComponent(secret)]));
}

/** Distinct, non-empty, longest first: a secret containing another is then replaced whole. */
function longestFirst(secrets: string[]): string[] {
  return [...new Set(secrets.filter((secret) => secret.length > 0))].sort((a, b) => b.length - a.length);
}

/** URL userinfo is percent-encoded; a malformed escape is taken literally rather than failing. */
function decodeUserinfo(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}
