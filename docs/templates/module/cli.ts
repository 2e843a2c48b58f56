// `hub example …`: the module's commands (they get the hub opened on demand).
import type { ModuleCli } from '../../../src/platform/module.js';

export const exampleCli: ModuleCli = (program, withHub) => {
  program
    .command('example')
    .description('The template module')
    .command('events')
    .description('Count the events received')
    .action(async () => {
      const [row] = await withHub((hub) =>
        hub.database.query<{ n: number }>("select count(*)::int as n from inbox_messages where source = 'example'"),
      );
      process.stdout.write(`${row?.n ?? 0}\n`);
    });
};
