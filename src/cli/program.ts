import { Command } from 'commander';
import { CODE_VERSION } from '../version';
import { registerCancelCommand } from './cancelCommand';
import { registerConfigCommand } from './configCommand';
import { registerDemoCommand } from './demoCommand';
import { registerFeedsCommand } from './feedsCommand';
import { registerListCommand } from './listCommand';
import { registerResultCommand } from './resultCommand';
import { registerRunCommand } from './runCommand';
import { registerScheduleCommand } from './scheduleCommand';
import { registerStatusCommand } from './statusCommand';
import { registerTransformCommand } from './transformCommand';

/** The whole `uk-chargers` command tree; src/client.ts runs it, tests inspect it. */
export function buildProgram(): Command {
  const program = new Command('uk-chargers')
    .description('Publishes charger_models_UK.csv from the UK National Chargepoint Registry, orchestrated by Temporal.')
    .version(CODE_VERSION.replace(/^uk-chargers@/, ''))
    .option('--verbose', 'print stack traces with errors')
    .showHelpAfterError()
    .exitOverride();
  registerTransformCommand(program);
  registerRunCommand(program);
  registerStatusCommand(program);
  registerResultCommand(program);
  registerCancelCommand(program);
  registerListCommand(program);
  registerScheduleCommand(program);
  registerFeedsCommand(program);
  registerConfigCommand(program);
  registerDemoCommand(program);
  return program;
}
