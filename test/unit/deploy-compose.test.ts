import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli/program';
import { loadConfig, SETTINGS } from '../../src/config';
import { runSearchAttributeDeclarations } from '../../src/visibility/runMemo';

const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string | number | boolean>;
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
}

const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as { services: Record<string, ComposeService> };
const ourServices = Object.entries(compose.services).filter(([, service]) => service.build === '.');

/** Connection variables @temporalio/envconfig reads, as the temporal CLI does. */
const ENVCONFIG_VARIABLES = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_PATH',
  'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  'TEMPORAL_TLS_SERVER_NAME',
  'TEMPORAL_PROFILE',
  'TEMPORAL_CONFIG_FILE',
];
/** Read by the AWS SDK's default provider chains (credentials, region, endpoint per service). */
const AWS_SDK_VARIABLES = [
  'AWS_REGION',
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_S3',
];

/** `${NAME:-default}` replaced by its default, as `docker compose up` does without a .env file. */
function withDefaults(value: string | number | boolean): string {
  return String(value).replace(/\$\{(\w+):-([^}]*)\}/g, (_match, _name, fallback: string) => fallback);
}

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, the Temporal server, its Web UI, MinIO with bucket creation, and the worker', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining([
        'postgresql',
        'temporal-schema',
        'temporal',
        'temporal-setup',
        'temporal-ui',
        'minio',
        'minio-bucket',
        'worker',
        'schedule',
      ]),
    );
    expect(compose.services.temporal.image).toMatch(/^temporalio\/server:/);
    expect(compose.services['temporal-ui'].image).toMatch(/^temporalio\/ui:/);
    expect(compose.services.worker.depends_on).toMatchObject({
      'temporal-setup': { condition: 'service_completed_successfully' },
      'minio-bucket': { condition: 'service_completed_successfully' },
    });
    expect(ourServices.map(([name]) => name).sort()).toEqual(['schedule', 'worker']);
  });

  it('passes the worker only variables it reads', () => {
    const known = new Set([
      ...SETTINGS.map((setting) => setting.name),
      ...ENVCONFIG_VARIABLES,
      ...AWS_SDK_VARIABLES,
      'S3_FORCE_PATH_STYLE',
    ]);
    for (const [name, service] of ourServices) {
      for (const variable of Object.keys(service.environment ?? {}))
        expect(known.has(variable), `${name}: ${variable}`).toBe(true);
    }
    // The lists above are what the libraries read, not a wish: each name appears in their code or ours.
    const envconfig = ['envconfig.js', 'envconfig-toml.js']
      .map((file) => read(`node_modules/@temporalio/envconfig/lib/${file}`))
      .join('\n');
    for (const variable of ENVCONFIG_VARIABLES) expect(envconfig, variable).toContain(`'${variable}'`);
    expect(read('src/storage/s3Client.ts')).toContain('env.S3_FORCE_PATH_STYLE');
  });

  it('gives the worker a configuration that passes start-up validation, and time to drain', () => {
    const env = Object.fromEntries(
      Object.entries(compose.services.worker.environment ?? {}).map(([name, value]) => [name, withDefaults(value)]),
    );
    const config = loadConfig({ ...env, TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' });
    expect(config.temporal).toMatchObject({
      address: 'temporal:7233',
      namespace: 'default',
      taskQueue: 'uk-chargers',
      uiUrl: 'http://localhost:8080',
    });
    expect(config).toMatchObject({
      destination: 's3://uk-chargers/',
      worker: { searchAttributes: 'required', metricsPrometheusAddress: '0.0.0.0:9464' },
    });
    const graceSeconds = Number(/^(\d+)s$/.exec(compose.services.worker.stop_grace_period ?? '')?.[1]);
    expect(graceSeconds * 1000).toBeGreaterThan(config.worker.shutdownGraceMs);
  });

  it('works without a .env file: every interpolated variable has a default', () => {
    const interpolations = [...composeText.matchAll(/\$\{[^}]*\}/g)].map(([match]) => match);
    expect(interpolations.length).toBeGreaterThan(0);
    for (const interpolation of interpolations) expect(interpolation).toMatch(/^\$\{\w+:-[^}]+\}$/);
  });

  it('creates the schedule with options the CLI has', () => {
    const [node, client, ...args] = compose.services.schedule.command ?? [];
    expect([node, client]).toEqual(['node', 'dist/client.js']);
    expect(args.slice(0, 2)).toEqual(['schedule', 'create']);
    const create = buildProgram()
      .commands.find((command) => command.name() === 'schedule')!
      .commands.find((command) => command.name() === 'create')!;
    const longs = new Set(create.options.map((option) => option.long));
    for (const flag of args.filter((arg) => arg.startsWith('--'))) expect(longs.has(flag), flag).toBe(true);
  });

  it('registers exactly the run search attributes on the namespace', () => {
    const script = read('deploy/temporal/setup-namespace.sh');
    const registered = /for attribute in ([^;]+);/
      .exec(script)![1]
      .trim()
      .split(/\s+/)
      .map((pair) => {
        const [name, type] = pair.split(':');
        return { name, type };
      });
    expect(registered.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      runSearchAttributeDeclarations().sort((a, b) => a.name.localeCompare(b.name)),
    );
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('builds in one stage and runs, non-root, with production dependencies only in another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    const runtime = stages.at(-1)!;
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toContain('COPY --from=production-dependencies /app/node_modules ./node_modules');
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/worker\.js"\]$/m);
    expect(read('package.json')).toContain('bundle-workflows.ts');
  });

  it('ships the bundled feed catalogue beside dist/, where dist/feeds/catalogue.js looks for it, and yaml to read it', () => {
    expect(stages.at(-1)!).toMatch(/^COPY feeds \.\/feeds$/m);
    const { dependencies } = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    expect(Object.keys(dependencies)).toContain('yaml');
  });

  it("ships the scanner's WebAssembly from the build stage beside dist/, where dist/transform looks for it", () => {
    expect(stages.at(-1)!).toMatch(/^COPY --from=build \/app\/build \.\/build$/m);
    expect(JSON.parse(read('package.json')).scripts.build).toContain('npm run build:wasm');
  });

  it('leaves local build output and dependencies out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const path of ['node_modules', 'dist', 'build', 'output', '.git']) expect(ignored).toContain(path);
  });
});
