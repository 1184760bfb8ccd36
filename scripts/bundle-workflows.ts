import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

/**
 * Second step of `npm run build`: bundles the compiled workflow code
 * (dist/workflows) into dist/workflow-bundle.js. The built worker loads it
 * (src/etlWorker.ts) instead of running webpack at every start, which makes
 * starts faster and ships exactly the workflow code that was built.
 */
async function main(): Promise<void> {
  const dist = join(__dirname, '..', 'dist');
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve(join(dist, 'workflows')),
    logger: new DefaultLogger('WARN'),
  });
  const target = join(dist, 'workflow-bundle.js');
  await writeFile(target, code);
  process.stderr.write(
    `wrote ${relative(process.cwd(), target)} (${(Buffer.byteLength(code) / 1024 ** 2).toFixed(1)} MiB)\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bundling the workflow code failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
