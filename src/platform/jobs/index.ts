export { JobQueue, type JobContext, type JobHandler, type JobStatus } from './queue.js';
export { jobsMigrations } from './migrations.js';
export { jobRoutes, JobDto } from './routes.js';
