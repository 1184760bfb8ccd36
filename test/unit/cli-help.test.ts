import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program';

/** Every command that does something (has no subcommands), with its full name. */
function leafCommands(command: Command, prefix: string[] = []): Array<{ name: string; command: Command }> {
  return command.commands.flatMap((child) => {
    const path = [...prefix, child.name()];
    return child.commands.length > 0 ? leafCommands(child, path) : [{ name: path.join(' '), command: child }];
  });
}

describe('the CLI surface', () => {
  const program = buildProgram();
  const leaves = leafCommands(program);

  it('has the operator commands', () => {
    expect(leaves.map((leaf) => leaf.name).sort()).toEqual(
      [
        'cancel',
        'config',
        'demo',
        'feeds check',
        'feeds list',
        'list',
        'result',
        'run',
        'schedule backfill',
        'schedule create',
        'schedule delete',
        'schedule describe',
        'schedule list',
        'schedule pause',
        'schedule trigger',
        'schedule unpause',
        'schedule update',
        'status',
        'transform',
      ].sort(),
    );
  });

  it.each(leaves.map((leaf) => [leaf.name, leaf.command] as const))('%s has complete --help', (_name, command) => {
    expect(command.description().length).toBeGreaterThan(20);
    const help = command.helpInformation();
    for (const option of command.options) {
      expect(option.description.length, option.flags).toBeGreaterThan(5);
      expect(help).toContain(option.long ?? option.flags);
    }
    for (const argument of command.registeredArguments)
      expect(argument.description.length, argument.name()).toBeGreaterThan(5);
  });

  it('keeps run, transform and demo flags as they were, with --no-wait, --dataset and --feed added to run and --format, --operator to transform', () => {
    const flags = (name: string): string[] =>
      leaves.find((leaf) => leaf.name === name)!.command.options.map((option) => option.long!);
    expect(flags('run')).toEqual([
      '--source-url',
      '--destination',
      '--force',
      '--workflow-id',
      '--json',
      '--no-wait',
      '--dataset',
      '--feed',
    ]);
    expect(flags('transform')).toEqual(['--input', '--output', '--json', '--format', '--operator']);
    expect(flags('demo')).toEqual(['--destination', '--keep-running', '--no-keep-running', '--json']);
  });
});

describe('the commands a command line defines', () => {
  const defined = (...args: string[]): string[] =>
    buildProgram(['node', 'uk-chargers', ...args]).commands.map((command) => command.name());
  const every = buildProgram().commands.map((command) => command.name());

  it('is only the command it runs, after --verbose too', () => {
    expect(defined('transform', '--input', 'x.json')).toEqual(['transform']);
    expect(defined('--verbose', 'schedule', 'list')).toEqual(['schedule']);
  });

  it('is every command for the program help, another option first, an unknown command or none', () => {
    for (const args of [[], ['--help'], ['--help', 'transform'], ['-h', 'run'], ['--bogus', 'run'], ['trnasform']]) {
      expect(defined(...args)).toEqual(every);
    }
    expect(every).toHaveLength(10);
  });
});
