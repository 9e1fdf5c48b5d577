// The demo's script: each toolset adds its steps here, in the order a newcomer would try them.
const memory = {};

export const demoSteps = {
  // --local-org: a Salesforce test double with demo data, allowed as "local". No real org is touched.
  serverArgs: ['--local-org'],
  memory,
  steps: [
    {
      title: 'Which org would the assistant use? (the always-on core tool)',
      tool: 'get_username',
      args: {},
    },
    {
      title: 'Org access is pinned at start: another org is refused, whatever the tool is passed',
      tool: 'add_record_note',
      args: { recordId: '001000000000001AAA', title: 'Hello', usernameOrAlias: 'my-production-org' },
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
