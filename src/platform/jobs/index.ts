export { JobQueue, defineJob, type JobContext, type JobHandler, type JobKind, type JobStatus } from './queue.js';
export { jobsMigrations } from './migrations.js';
export { jobRoutes, JobDto } from './routes.js';
