/**
 * A progress line on stderr for long `iscc sum` runs: files done, bytes, MiB/s. Only on a
 * terminal (never when stderr is piped or redirected, never with `--status`), and only once a
 * run has taken longer than {@link PROGRESS_DELAY_MS}, so short runs print nothing extra.
 * Redraws at most every {@link PROGRESS_INTERVAL_MS}; `done()` erases the line.
 */

/** A run shorter than this shows no progress. */
export const PROGRESS_DELAY_MS = 1000;
/** Minimum time between redraws. */
export const PROGRESS_INTERVAL_MS = 200;

/** Progress reporting: counts come in as work is done. */
export interface Progress {
  /** Bytes were hashed. */
  bytes(n: number): void;
  /** A file was finished. */
  file(): void;
  /** The number of files of the run, once known. */
  setTotal(files: number): void;
  /** Erase the line (before other stderr output, and at the end). */
  clear(): void;
  /** Finish: erase the line for good. */
  done(): void;
}

/** A progress reporter that does nothing. */
export const NO_PROGRESS: Progress = { bytes() {}, file() {}, setTotal() {}, clear() {}, done() {} };

const MIB = 1024 * 1024;

/**
 * A progress reporter on `stream` when it is a terminal, else {@link NO_PROGRESS}.
 * @param totalFiles - number of files expected, when known (0 when not)
 * @param now - clock (tests pass their own)
 */
export function createProgress(
  stream: { isTTY?: boolean; write(s: string): unknown },
  totalFiles: number,
  enabled: boolean,
  now: () => number = Date.now,
): Progress {
  if (!enabled || !stream.isTTY) return NO_PROGRESS;
  const start = now();
  let last = 0;
  let files = 0;
  let bytes = 0;
  let shown = false;
  const draw = () => {
    const t = now();
    if (t - start < PROGRESS_DELAY_MS || t - last < PROGRESS_INTERVAL_MS) return;
    last = t;
    const rate = bytes / MIB / ((t - start) / 1000);
    const count = totalFiles > 0 ? `${files}/${totalFiles} files` : `${files} files`;
    const pct = totalFiles > 0 ? ` ${Math.floor((100 * files) / totalFiles)}%` : '';
    stream.write(`\r\u001b[2K${count}${pct}  ${(bytes / MIB).toFixed(1)} MiB  ${rate.toFixed(0)} MiB/s`);
    shown = true;
  };
  const clear = () => {
    if (shown) stream.write('\r\u001b[2K');
    shown = false;
  };
  return {
    bytes(n) {
      bytes += n;
      draw();
    },
    file() {
      files++;
      draw();
    },
    setTotal(n) {
      totalFiles = n;
    },
    clear,
    done: clear,
  };
}
