/** One progress line on stderr: rewritten in place on a terminal, throttled lines otherwise. */
export class Progress {
  private readonly tty = Boolean(process.stderr.isTTY);
  private lastPlain = 0;
  private readonly started = Date.now();
  private label = '';

  constructor(private readonly quiet = false) {}

  /** A new step: always printed. */
  step(label: string): void {
    this.label = label;
    if (this.quiet) return;
    this.clear();
    process.stderr.write(`[${this.elapsed()}] ${label}\n`);
  }

  /** Detail of the current step: rewritten on a terminal, every 2 s otherwise. */
  update(detail: string): void {
    if (this.quiet) return;
    const line = `[${this.elapsed()}] ${this.label} — ${detail}`;
    if (this.tty) {
      process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 120) - 1)}`);
    } else if (Date.now() - this.lastPlain > 2000) {
      this.lastPlain = Date.now();
      process.stderr.write(`${line}\n`);
    }
  }

  clear(): void {
    if (this.tty && !this.quiet) process.stderr.write('\r\x1b[K');
  }

  private elapsed(): string {
    const s = Math.round((Date.now() - this.started) / 1000);
    return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  }
}
