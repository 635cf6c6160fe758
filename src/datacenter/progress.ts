import type { StepEvent } from './deploy.js';

/**
 * A progress display for a deployment: on a terminal the running step is one line rewritten in
 * place and then settled with its time; in a log (not a TTY) each finished step is one line.
 */
export function progressPrinter(out: NodeJS.WriteStream): { step(e: StepEvent): void; fail(): void } {
  let current: StepEvent | undefined;
  const prefix = (e: StepEvent) => `[${String(e.index).padStart(String(e.total).length)}/${e.total}]`;
  const tty = !!out.isTTY;
  return {
    step(e) {
      current = e;
      if (e.phase === 'start') {
        if (tty) out.write(`\r\x1b[2K${prefix(e)} … ${e.label}`);
        return;
      }
      out.write(`${tty ? '\r\x1b[2K' : ''}${prefix(e)} ok ${e.label} (${Math.round(e.ms ?? 0)} ms)\n`);
    },
    fail() {
      if (current) out.write(`${tty ? '\r\x1b[2K' : ''}${prefix(current)} FAILED ${current.label}\n`);
    },
  };
}
