import { spawn } from 'node:child_process';

/** `mosquitto_pub ARGS` (Debian's mosquitto-clients), with `stdin` fed to it; resolves with its exit status and output. */
export function mosquittoPub(args: string[], stdin?: string): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('mosquitto_pub', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, out }));
    child.stdin.end(stdin ?? '');
  });
}
