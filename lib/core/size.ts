const KIBI = 1024;
const MEBI = KIBI * 1024;
const GIBI = MEBI * 1024;
const TEBI = GIBI * 1024;

/**
 * An amount of memory or storage.
 *
 * Typed so that `512` can never be read as bytes on one target and megabytes on another.
 */
export class Size {
  public static mebibytes(amount: number): Size {
    return new Size(amount, MEBI, 'mebibytes');
  }

  public static gibibytes(amount: number): Size {
    return new Size(amount, GIBI, 'gibibytes');
  }

  public static tebibytes(amount: number): Size {
    return new Size(amount, TEBI, 'tebibytes');
  }

  public static isSize(x: unknown): x is Size {
    return typeof x === 'object' && x !== null && SIZE_SYMBOL in x;
  }

  /** Whole bytes; fractional amounts (0.5 GiB) are allowed as long as they come to whole bytes. */
  public readonly bytes: number;

  private constructor(
    public readonly amount: number,
    unitBytes: number,
    private readonly unit: string,
  ) {
    Object.defineProperty(this, SIZE_SYMBOL, { value: true });
    this.bytes = amount * unitBytes;
  }

  /** @internal A description of what is wrong with this size, or undefined when it is usable. */
  public _problem(): string | undefined {
    if (!Number.isFinite(this.amount) || this.amount <= 0) {
      return `a size must be a positive number, got ${this.amount} ${this.unit}`;
    }
    if (!Number.isInteger(this.bytes)) {
      return `${this.amount} ${this.unit} is not a whole number of bytes`;
    }
    return undefined;
  }

  public toString(): string {
    return `${this.amount} ${this.unit}`;
  }
}

const SIZE_SYMBOL = Symbol.for('cdk-compose.Size');
