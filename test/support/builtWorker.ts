import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bundleWorkflowCode, Runtime } from '@temporalio/worker';

const REPO_ROOT = join(__dirname, '..', '..');

/** The worker as `npm run build` ships it, built in a temp dir of its own. */
export interface BuiltWorker {
  /** `dist/worker.js`, for startWorkerProcess's `entry`. */
  entry: string;
  remove(): Promise<void>;
}

/**
 * Builds what production runs (`node dist/worker.js` with the prebuilt workflow
 * bundle) into a temp dir, leaving the repository's dist/ alone: compiled with
 * tsconfig.build.json, the workflow code bundled next to it, package.json,
 * feeds/ and node_modules reachable as from the repository root.
 */
export async function buildWorker(): Promise<BuiltWorker> {
  const root = await mkdtemp(join(tmpdir(), 'uk-chargers-build-'));
  const dist = join(root, 'dist');
  try {
    await promisify(execFile)(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', dist],
      {
        cwd: REPO_ROOT,
      },
    );
    await copyFile(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
    await symlink(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    // The bundled feed catalogue, which the configuration validates at start-up, and the transform's
    // WebAssembly (build/, compiled by npm ci), as the image ships them.
    await symlink(join(REPO_ROOT, 'feeds'), join(root, 'feeds'), 'dir');
    await symlink(join(REPO_ROOT, 'build'), join(root, 'build'), 'dir');
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve(join(dist, 'workflows')),
      logger: Runtime.instance().logger,
    });
    await writeFile(join(dist, 'workflow-bundle.js'), code);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return { entry: join(dist, 'worker.js'), remove: () => rm(root, { recursive: true, force: true }) };
}
