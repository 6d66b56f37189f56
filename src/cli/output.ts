/** A command's refusal: the reason on stderr and exit code 1 (the process ends once its output is written). */
export const refuse = (message: string): void => {
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = 1;
};
