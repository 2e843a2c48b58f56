// `hub example …`: the module's commands (they get the hub opened on demand). They write to io, never to
// process.stdout: beside a running embedded hub the command runs inside it and io carries the output back.
import type { ModuleCli } from '../../../src/platform/module.js';

export const exampleCli: ModuleCli = (program, withHub, io) => {
  program
    .command('example')
    .description('The template module')
    .command('events')
    .description('Count the events received')
    .action(async () => {
      const [row] = await withHub((hub) =>
        hub.database.query<{ n: number }>("select count(*)::int as n from inbox_messages where source = 'example'"),
      );
      io.out(`${row?.n ?? 0}\n`);
    });
};
