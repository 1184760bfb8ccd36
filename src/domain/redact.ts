const SECRET_QUERY_PARAMS =
  /^(key|apikey|api_key|api-key|token|access_token|auth|password|secret|signature|sig|x-amz-signature|x-amz-credential|x-amz-security-token)$/i;

/**
 * Returns the URL with credentials removed: userinfo and the values of query
 * parameters that commonly carry secrets, and of `secretParams` (a feed's own
 * credential parameter, compared case-insensitively). Used for everything that
 * can reach workflow history or logs. Strings that are not URLs come back unchanged.
 */
export function redactUrl(raw: string, secretParams: readonly string[] = []): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  if (url.username || url.password) {
    url.username = 'REDACTED';
    url.password = '';
  }
  const extra = new Set(secretParams.map((name) => name.toLowerCase()));
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_QUERY_PARAMS.test(name) || extra.has(name.toLowerCase())) url.searchParams.set(name, 'REDACTED');
  }
  return url.toString();
}

/** True when the URL holds userinfo or a secret-looking query parameter; such URLs must stay out of workflow inputs. */
export function urlCarriesCredentials(raw: string): boolean {
  return URL.canParse(raw) && redactUrl(raw) !== new URL(raw).toString();
}
