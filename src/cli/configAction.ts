import { loadConfig, redactedConfig } from '../config';

/** `uk-chargers config`: the effective settings, secrets redacted. */
export async function configAction(options: { json?: boolean }): Promise<void> {
  const settings = redactedConfig(loadConfig());
  console.log(options.json ? JSON.stringify(settings) : JSON.stringify(settings, null, 2));
}
