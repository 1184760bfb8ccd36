import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The anchors' own virtual environment (ignored by git), so the bench never installs into the system's Python. */
export const ANCHOR_VENV = 'bench/.venv';
const REQUIREMENTS = 'bench/anchors/requirements.txt';

interface Pin {
  name: string;
  version: string;
}

const run = promisify(execFile);

/**
 * The Python interpreter of bench/.venv with the pinned pandas and DuckDB:
 * creates the environment and installs them when missing or of other versions,
 * saying so on `log`. Throws a one-line error when python3, venv or pip fails:
 * the anchors are part of the comparison, never skipped silently.
 */
export async function ensureAnchorPython(log: (line: string) => void): Promise<string> {
  const python = join(ANCHOR_VENV, 'bin', 'python');
  const pins = parsePins(await readFile(REQUIREMENTS, 'utf8'));
  if (await hasPins(python, pins)) return python;
  log(
    `installing ${pins.map((pin) => `${pin.name} ${pin.version}`).join(', ')} into ${ANCHOR_VENV} (the anchors' Python packages)`,
  );
  await step(`\`python3 -m venv ${ANCHOR_VENV}\``, 'python3', ['-m', 'venv', ANCHOR_VENV]);
  await step(`\`pip install -r ${REQUIREMENTS}\``, python, ['-m', 'pip', 'install', '--quiet', '-r', REQUIREMENTS]);
  if (!(await hasPins(python, pins)))
    throw new Error(`the anchors need ${REQUIREMENTS} in ${ANCHOR_VENV}, and pip installed other versions`);
  return python;
}

/** The `name==version` lines of a requirements file. */
export function parsePins(text: string): Pin[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((line) => {
      const match = /^([A-Za-z0-9_.-]+)==([^\s;]+)$/.exec(line);
      if (!match) throw new Error(`${REQUIREMENTS}: expected name==version, found "${line}"`);
      return { name: match[1], version: match[2] };
    });
}

/** Whether `python` runs and has exactly the pinned versions installed. */
async function hasPins(python: string, pins: readonly Pin[]): Promise<boolean> {
  const script = 'import importlib.metadata as m, json, sys; print(json.dumps([m.version(n) for n in sys.argv[1:]]))';
  try {
    const { stdout } = await run(python, ['-c', script, ...pins.map((pin) => pin.name)]);
    const versions = JSON.parse(stdout) as string[];
    return pins.every((pin, k) => versions[k] === pin.version);
  } catch {
    return false;
  }
}

async function step(what: string, command: string, args: string[]): Promise<void> {
  try {
    await run(command, args, { maxBuffer: 64 << 20 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    const reason =
      stderr
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .at(-1) ?? (error instanceof Error ? error.message : String(error));
    throw new Error(`the anchors need Python 3 with venv and pip: ${what} failed: ${reason}`, { cause: error });
  }
}
