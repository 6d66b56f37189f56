export { startServer, type RunningServer } from './start.js';
export { buildApp, defineModuleJobs } from './build.js';
export { openAppDatabase, type AppDatabase } from './database.js';
export { prepareDatabase } from './prepare.js';
export { createJobQueue } from './jobs.js';
export { allMigrations } from './migrations.js';
export { DEMO_USERS } from './demo.js';
export { VERSION, ROOT } from './version.js';
export { createServices, type SharedServices } from './services.js';
