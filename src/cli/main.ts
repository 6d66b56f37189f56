import { Command } from 'commander';
import { VERSION } from '../app/index.js';
import { registerCommands, reportError } from './commands.js';

const program = new Command('tinhso').description('Tỉnh Số — nền tảng dữ liệu tỉnh / province data platform').version(VERSION);
registerCommands(program);
program.parseAsync(process.argv).catch(reportError);
