import { Annotation } from './annotations';

const SYNTH_ERROR_SYMBOL = Symbol.for('cdk-compose.SynthError');

/** Thrown by synth when the app has errors; carries all of them. */
export class SynthError extends Error {
  /** True for a `SynthError` of any copy of cdk-compose. */
  public static isSynthError(x: unknown): x is SynthError {
    return typeof x === 'object' && x !== null && SYNTH_ERROR_SYMBOL in x;
  }

  constructor(public readonly errors: readonly Annotation[]) {
    super(
      `synth failed with ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was written:\n` +
        // The App, the root, has the empty path.
        errors.map((error) => `  [${error.path || 'app'}] ${error.message}`).join('\n'),
    );
    this.name = 'SynthError';
    Object.defineProperty(this, SYNTH_ERROR_SYMBOL, { value: true });
    // The list is the whole story; a trace into the library would only bury it.
    this.stack = `${this.name}: ${this.message}`;
  }
}
