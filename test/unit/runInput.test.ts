import { describe, expect, it } from 'vitest';
import { inputCredentialsProblem } from '../../src/domain/runReport';

describe('inputCredentialsProblem', () => {
  it('accepts inputs without credentials, including the empty one', () => {
    expect(inputCredentialsProblem({})).toBeUndefined();
    expect(
      inputCredentialsProblem({
        sourceUrl: 'https://registry.test/ncr.json?format=json',
        destination: 's3://bucket/ev/',
        force: true,
      }),
    ).toBeUndefined();
    expect(inputCredentialsProblem({ destination: 'file:./output' })).toBeUndefined();
  });

  it('refuses a source URL with userinfo or a secret query parameter, showing it redacted and saying where credentials go', () => {
    const userinfo = inputCredentialsProblem({ sourceUrl: 'https://ops:hunter2@registry.test/ncr.json' });
    expect(userinfo).toBe(
      'sourceUrl https://REDACTED@registry.test/ncr.json carries credentials, and workflow inputs are visible in history ' +
        'and the Web UI: configure SOURCE_URL, with its credentials, on the worker and leave sourceUrl out of the input',
    );
    const query = inputCredentialsProblem({ sourceUrl: 'https://registry.test/ncr.json?apikey=K3Y&format=json' });
    expect(query).toContain('sourceUrl https://registry.test/ncr.json?apikey=REDACTED&format=json carries credentials');
    expect(query).not.toContain('K3Y');
  });

  it('refuses a destination carrying credentials too', () => {
    const problem = inputCredentialsProblem({ destination: 's3://AKIAEXAMPLE:s3cr3t@bucket/ev/' });
    expect(problem).toContain('destination s3://REDACTED@bucket/ev/ carries credentials');
    expect(problem).toContain("AWS SDK's default chain");
    expect(problem).not.toContain('s3cr3t');
  });
});
