import { Annotation } from './annotations';

/** Thrown by synth when the app has errors; carries all of them. */
export class SynthError extends Error {
  constructor(public readonly errors: readonly Annotation[]) {
    super(
      `synth failed with ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was written:\n` +
        // The App, the root, has the empty path.
        errors.map((error) => `  [${error.path || 'app'}] ${error.message}`).join('\n'),
    );
    this.name = 'SynthError';
    // The list is the whole story; a trace into the library would only bury it.
    this.stack = `${this.name}: ${this.message}`;
  }
}
