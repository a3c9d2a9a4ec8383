import type { Command } from 'commander';
import { defaultDbPath } from '../../engine/defaultDataDir.js';
import { Backups } from '../../store/Backups.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';

export function restoreCommand(program: Command, io: Output): void {
  program
    .command('restore')
    .description('replace the story database with a backup (the current file is kept beside it, renamed)')
    .option('--backup <file>', 'the backup to restore (default: the newest)')
    .option('--list', 'list the backups, newest first, and change nothing')
    .action((options: { backup?: string; list?: boolean }) => {
      const globals = program.opts<GlobalOptions>();
      const backups = new Backups(globals.db ?? process.env.LONGTALE_DB ?? defaultDbPath());
      if (options.list) {
        const all = backups.list();
        if (globals.json) return io.out(JSON.stringify(all));
        return io.out(all.length > 0 ? all.join('\n') : `No backups in ${backups.folder}.`);
      }
      const result = backups.restore(options.backup);
      if (globals.json) return io.out(JSON.stringify(result));
      io.err(`restored ${result.restored}${result.keptAs ? `; the previous database is kept as ${result.keptAs}` : ''}`);
    });
}
