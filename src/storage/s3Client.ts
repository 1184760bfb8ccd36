import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

type Env = Record<string, string | undefined>;

/**
 * The S3 client every S3Store uses. Credentials, region and endpoint come from
 * the AWS SDK's default chains: credentials from env, profile, SSO or instance
 * role; the endpoint from AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, which this
 * SDK version reads itself (@smithy/core getEndpointUrlConfig), so MinIO needs
 * no code path of its own. Only S3_FORCE_PATH_STYLE is ours: S3-compatible
 * servers such as MinIO usually serve buckets by path, not by host name.
 *
 * `overrides` is for tests that point one client at a specific server.
 */
export function createS3Client(overrides: S3ClientConfig = {}, env: Env = process.env): S3Client {
  return new S3Client({
    forcePathStyle: /^(true|1)$/i.test(env.S3_FORCE_PATH_STYLE?.trim() ?? ''),
    // A bucket in another region than AWS_REGION still works, one redirect later.
    followRegionRedirects: true,
    // Temporal retries the activity with backoff; the SDK only smooths over blips,
    // so a stopped endpoint fails the call in seconds instead of spinning for minutes.
    maxAttempts: 3,
    requestHandler: {
      connectionTimeout: 5_000,
      // Idle time on an open socket, not total duration: large uploads and slow readers are fine.
      socketTimeout: 60_000,
    },
    ...overrides,
  });
}
