const DURATION_SYMBOL = Symbol.for('cdk-compose.Duration');

/**
 * A length of time, in whole seconds.
 *
 * Kubernetes probes count in whole seconds, so finer durations could not mean the same on both targets.
 */
export class Duration {
  public static seconds(amount: number): Duration {
    return new Duration(amount, amount, 'seconds');
  }

  public static minutes(amount: number): Duration {
    return new Duration(amount * 60, amount, 'minutes');
  }

  public static isDuration(x: unknown): x is Duration {
    return typeof x === 'object' && x !== null && DURATION_SYMBOL in x;
  }

  private constructor(
    public readonly totalSeconds: number,
    private readonly amount: number,
    private readonly unit: string,
  ) {
    Object.defineProperty(this, DURATION_SYMBOL, { value: true });
  }

  /** @internal A description of what is wrong with this duration, or undefined when it is usable. */
  public _problem(options: { allowZero?: boolean } = {}): string | undefined {
    const lowest = options.allowZero ? 0 : 1;
    if (!Number.isInteger(this.totalSeconds) || this.totalSeconds < lowest) {
      return `${this} is not a whole number of seconds of at least ${lowest}`;
    }
    return undefined;
  }

  public toString(): string {
    return `${this.amount} ${this.unit}`;
  }
}
