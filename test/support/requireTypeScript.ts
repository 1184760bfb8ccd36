// The CLI loads its command definitions and actions with require() (src/cli/program.ts says why).
// Under vitest that is Node's own require, which loads TypeScript only with tsx's hook.
import { register } from 'tsx/cjs/api';

register();
