/** Colour for a terminal; plain text when piped or when NO_COLOR is set. */
export function styler(stream: NodeJS.WriteStream) {
  const enabled = Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  const wrap = (code: number) => (text: string) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { red: wrap(31), green: wrap(32), yellow: wrap(33), dim: wrap(2), bold: wrap(1) };
}

/** The colours of `styler`. */
export type Styler = ReturnType<typeof styler>;
