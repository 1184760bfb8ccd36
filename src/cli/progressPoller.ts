/** What one look at a run shows: its line, and the step whose change prints a new line outside a terminal. */
export interface ProgressSnapshot {
  line: string;
  step: string;
}

/**
 * Shows a run's progress on stderr once a second, from `read` (undefined: nothing
 * new to show): one updating line in a terminal (`live`), a line per step
 * otherwise. One read at a time, and nothing drawn after the returned stop():
 * a late answer must not redraw a cleared line.
 */
export function pollProgress(read: () => Promise<ProgressSnapshot | undefined>, mode: 'live' | 'lines'): () => void {
  let lastLine = '';
  let lastStep = '';
  let stopped = false;
  let inFlight = false;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = true;
    read()
      .then((snapshot) => {
        if (stopped || !snapshot) return;
        if (mode === 'live') {
          if (snapshot.line !== lastLine) process.stderr.write(`\r\x1b[2K${snapshot.line}`);
        } else if (snapshot.step !== lastStep) {
          process.stderr.write(`${snapshot.line}\n`);
        }
        lastLine = snapshot.line;
        lastStep = snapshot.step;
      })
      // No worker answered yet, or a transient error of the server: the next tick tries again.
      .catch(() => undefined)
      .finally(() => {
        inFlight = false;
      });
  }, 1_000);
  return () => {
    stopped = true;
    clearInterval(timer);
    if (mode === 'live' && lastLine) process.stderr.write('\r\x1b[2K');
  };
}
