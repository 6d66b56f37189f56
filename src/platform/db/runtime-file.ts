import fs from 'node:fs';
import path from 'node:path';

/**
 * Small files in the data dir that let every `tinhso` command find the embedded database:
 * - credentials.json: user/password chosen at initdb (persistent, 0600);
 * - runtime.json: the port and owner pid of a running server (0600, removed on clean shutdown).
 */
export interface Credentials {
  user: string;
  password: string;
}

export interface RuntimeInfo {
  ownerPid: number;
  port: number;
  database: string;
  startedAt: string;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function writePrivate(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export const credentialsFile = (dataDir: string): string => path.join(dataDir, 'credentials.json');
export const runtimeFile = (dataDir: string): string => path.join(dataDir, 'runtime.json');

export const readCredentials = (dataDir: string): Credentials | undefined => readJson(credentialsFile(dataDir));
export const writeCredentials = (dataDir: string, c: Credentials): void => writePrivate(credentialsFile(dataDir), c);
export const readRuntime = (dataDir: string): RuntimeInfo | undefined => readJson(runtimeFile(dataDir));
export const writeRuntime = (dataDir: string, r: RuntimeInfo): void => writePrivate(runtimeFile(dataDir), r);

export function removeRuntime(dataDir: string, ownerPid: number): void {
  const current = readRuntime(dataDir);
  if (current && current.ownerPid === ownerPid) fs.rmSync(runtimeFile(dataDir), { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
