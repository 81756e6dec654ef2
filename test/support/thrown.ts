/** The message of the error `f` throws; fails the test when it throws nothing. */
export function thrown(f: () => void): string {
  try {
    f();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected it to throw');
}
