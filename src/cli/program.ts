import { Command } from 'commander';
import { CODE_VERSION } from '../version';
import type * as CancelCommandModule from './cancelCommand';
import type * as ConfigCommandModule from './configCommand';
import type * as DemoCommandModule from './demoCommand';
import type * as FeedsCommandModule from './feedsCommand';
import type * as ListCommandModule from './listCommand';
import type * as ResultCommandModule from './resultCommand';
import type * as RunCommandModule from './runCommand';
import type * as ScheduleCommandModule from './scheduleCommand';
import type * as StatusCommandModule from './statusCommand';
import type * as TransformCommandModule from './transformCommand';

type Register = (program: Command) => void;

/**
 * Each top-level command's definition module, in help order, loaded (with require,
 * like the actions: see eslint.config.mjs) only when it is registered.
 */
const COMMANDS: Record<string, () => Register> = {
  transform: () => (require('./transformCommand') as typeof TransformCommandModule).registerTransformCommand,
  run: () => (require('./runCommand') as typeof RunCommandModule).registerRunCommand,
  status: () => (require('./statusCommand') as typeof StatusCommandModule).registerStatusCommand,
  result: () => (require('./resultCommand') as typeof ResultCommandModule).registerResultCommand,
  cancel: () => (require('./cancelCommand') as typeof CancelCommandModule).registerCancelCommand,
  list: () => (require('./listCommand') as typeof ListCommandModule).registerListCommand,
  schedule: () => (require('./scheduleCommand') as typeof ScheduleCommandModule).registerScheduleCommand,
  feeds: () => (require('./feedsCommand') as typeof FeedsCommandModule).registerFeedsCommand,
  config: () => (require('./configCommand') as typeof ConfigCommandModule).registerConfigCommand,
  demo: () => (require('./demoCommand') as typeof DemoCommandModule).registerDemoCommand,
};

/**
 * The `uk-chargers` command tree; src/client.ts runs it, tests inspect it. Given
 * the command line, only the command it names is defined, so running one command
 * loads none of the others' modules; without one (help, a typo, no command) every
 * command is, for the program's help and suggestions.
 */
export function buildProgram(argv?: readonly string[]): Command {
  const program = new Command('uk-chargers')
    .description('Publishes charger_models_UK.csv from the UK National Chargepoint Registry, orchestrated by Temporal.')
    .version(CODE_VERSION.replace(/^uk-chargers@/, ''))
    .option('--verbose', 'print stack traces with errors')
    .showHelpAfterError()
    .exitOverride();
  const named = argv === undefined ? undefined : commandName(argv);
  const names = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const name of names) COMMANDS[name]()(program);
  return program;
}

/**
 * The command the arguments (after node and the script) name: their first word,
 * when only --verbose comes before it. Any other option there (--help, a typo)
 * is the program's to answer, with every command defined.
 */
function commandName(argv: readonly string[]): string | undefined {
  const args = argv.slice(2);
  const at = args.findIndex((arg) => arg !== '--verbose');
  return at >= 0 && !args[at].startsWith('-') ? args[at] : undefined;
}
