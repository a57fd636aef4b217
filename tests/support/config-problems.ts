import { ConfigError } from '../../src/config/load';

/** The problems a ConfigError lists, so a test can check all of them at once; any other outcome fails the test. */
export function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
