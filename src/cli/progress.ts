import cliProgress from 'cli-progress';
import type { JobQueue } from '../platform/jobs/index.js';

/** Polls a job and draws a progress bar on stderr until it completes; returns its output. */
export async function watchJob(jobs: JobQueue, id: string): Promise<unknown> {
  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {percentage}% | {value}/{total} | {message}', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  for (;;) {
    const s = await jobs.get(id);
    if (!s) throw new Error(`job ${id} not found`);
    const total = s.progress.total ?? Math.max(s.progress.done, 1);
    if (!started) {
      bar.start(total, s.progress.done, { message: s.state });
      started = true;
    }
    bar.setTotal(total);
    bar.update(s.progress.done, { message: s.progress.message ?? s.state });
    if (s.state === 'completed') {
      bar.stop();
      return s.output;
    }
    if (s.state === 'failed' || s.state === 'cancelled') {
      bar.stop();
      throw new Error(`job ${id} ${s.state}: ${JSON.stringify(s.output)}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
