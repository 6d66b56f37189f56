import cliProgress from 'cli-progress';
import type { JobQueue } from '../platform/jobs/index.js';

/** Polls a job and draws a progress bar on stderr (done/total, %, ETA) until it completes; returns its output. */
export async function watchJob(jobs: JobQueue, id: string, opts: { unit?: 'bytes' } = {}): Promise<unknown> {
  const amount = opts.unit === 'bytes' ? '{mb}/{totalMb} MB' : '{value}/{total}';
  const bar = new cliProgress.SingleBar(
    {
      format: ` {bar} {percentage}% | ${amount} | ETA {eta_formatted} | {message}`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 1000,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  let started = false;
  for (;;) {
    const s = await jobs.get(id);
    if (!s) throw new Error(`job ${id} not found`);
    const total = s.progress.total ?? Math.max(s.progress.done, 1);
    const payload = { message: s.progress.message ?? s.state, mb: mb(s.progress.done), totalMb: mb(total) };
    if (!started) {
      bar.start(total, s.progress.done, payload);
      started = true;
    }
    bar.setTotal(total);
    bar.update(s.progress.done, payload);
    if (s.state === 'completed') {
      bar.update(total, payload);
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
