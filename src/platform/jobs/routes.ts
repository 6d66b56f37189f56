import { Type } from 'typebox';
import { requireUser } from '../auth/index.js';
import { forbidden, notFound } from '../http/errors.js';
import { SECURED, type App } from '../http/types.js';
import type { JobQueue } from './queue.js';

export const JobDto = Type.Object({
  id: Type.String(),
  queue: Type.String(),
  state: Type.String(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  progress: Type.Object({ done: Type.Number(), total: Type.Union([Type.Number(), Type.Null()]), message: Type.Union([Type.String(), Type.Null()]) }),
  output: Type.Unknown(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** GET /api/v1/jobs/:id — the job's state and progress, for whoever started it (or a sysadmin). */
export async function jobRoutes(app: App, { jobs }: { jobs: JobQueue }): Promise<void> {
  app.get(
    '/api/v1/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Trạng thái công việc nền / Background job status',
        security: SECURED,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: JobDto },
      },
    },
    async (req) => {
      const user = requireUser(req.principal);
      const job = await jobs.get(req.params.id);
      if (!job) throw notFound('job_not_found', { vi: 'Không tìm thấy công việc.', en: 'Job not found.' }, 'id');
      if (job.createdBy !== user.id && !user.isSysadmin)
        throw forbidden('forbidden', { vi: 'Bạn không có quyền xem công việc này.', en: 'You may not see this job.' });
      return job;
    },
  );
}
