// The demo's script: each toolset adds its steps here, in the order a newcomer would try them.
const memory = {};

export const demoSteps = {
  serverArgs: ['--tools', 'convert_record_id'],
  memory,
  steps: [
    {
      title: 'Which org would the assistant use? (the always-on core tool)',
      tool: 'get_username',
      args: {},
    },
    {
      title: 'A tool from a third-party plugin (examples/sfmcp-plugin-example)',
      tool: 'convert_record_id',
      args: { ids: ['001A0000006Vm9r', '003A0000008qb5z'] },
    },
    {
      title: 'Bad input gets a clear error, not a stack trace',
      tool: 'convert_record_id',
      args: { ids: ['not-an-id'] },
    },
  ],
};
