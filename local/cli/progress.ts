const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A running progress indicator; `stop()` clears it. */
export interface Progress {
  stop(): void;
}

/**
 * A spinner with a label on a TTY (nothing otherwise, nor with NO_COLOR); it appears only after
 * `delayMs`, so quick steps print nothing.
 */
export function startProgress(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  delayMs = 300,
): Progress {
  if (stream.isTTY !== true || process.env.NO_COLOR) return { stop: () => {} };
  let frame = 0;
  let interval: NodeJS.Timeout | undefined;
  const delay = setTimeout(() => {
    interval = setInterval(() => {
      stream.write(`\r${FRAMES[frame++ % FRAMES.length]} ${label}`);
    }, 80);
  }, delayMs);
  return {
    stop() {
      clearTimeout(delay);
      if (interval) {
        clearInterval(interval);
        stream.write('\r\u001b[2K');
      }
    },
  };
}
