export { JobQueue, defineJob, type RetryPolicy, type JobContext, type JobHandler, type JobKind, type JobStatus } from './queue.js';
export { jobsMigrations } from './migrations.js';
export { jobRoutes, JobDto } from './routes.js';
