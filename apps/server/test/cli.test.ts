import { describe, expect, it } from 'vitest';
import { UsageError, parseCli } from '../src/cli.js';

describe('parseCli', () => {
  it('reads every flag', () => {
    const command = parseCli(
      [
        '--orgs',
        'DEFAULT_TARGET_ORG,dev',
        '--toolsets',
        'data,orgs',
        '--tools',
        'run_soql_query',
        '--allow-non-ga-tools',
        '--dynamic-tools',
        '--plugin',
        './my-plugin',
        '--project-dir',
        'proj',
        '--transport',
        'http',
        '--host',
        '127.0.0.1',
        '--port',
        '4000',
        '--debug',
      ],
      '/work',
    );
    expect(command).toEqual({
      kind: 'serve',
      options: expect.objectContaining({
        orgs: ['DEFAULT_TARGET_ORG', 'dev'],
        toolsets: ['data', 'orgs'],
        tools: ['run_soql_query'],
        allowNonGaTools: true,
        dynamicTools: true,
        plugins: ['./my-plugin'],
        projectDir: '/work/proj',
        transport: 'http',
        port: 4000,
        debug: true,
        readOnly: false,
        allowProductionWrites: false,
      }),
    });
  });

  it('defaults to every toolset over stdio in the current directory', () => {
    expect(parseCli([], '/here')).toMatchObject({
      kind: 'serve',
      options: { toolsets: 'all', transport: 'stdio', projectDir: '/here', orgs: [] },
    });
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--transport', 'sse'], /--transport must be stdio or http/],
    [['--port', 'eighty'], /--port must be a number/],
    [['--read-only', '--allow-production-writes'], /contradict/],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(UsageError);
    expect(() => parseCli(argv)).toThrow(message);
  });

  it('knows --help, --version and --list-plugins', () => {
    expect(parseCli(['--help']).kind).toBe('help');
    expect(parseCli(['--version']).kind).toBe('version');
    expect(parseCli(['--list-plugins']).kind).toBe('list-plugins');
  });
});
