import type { Logger } from './logger';

export interface ErrorEpisodes {
  report(err: Error): void;
  /** Called every check interval: an episode with no error since the last tick is over. */
  tick(): void;
}

/**
 * A Redis or queue error repeats on every retry (many a second); the operator needs one `warn`
 * when it starts, one line when it stops, and the repeats at debug only.
 */
export function createErrorEpisodes(what: string, logger: Logger): ErrorEpisodes {
  let errors = 0;
  let sinceTick = 0;
  return {
    report(err) {
      errors += 1;
      sinceTick += 1;
      if (errors === 1) logger.warn(`${what} error: ${err.message}; repeats are logged at debug until it stops`);
      else logger.debug(`${what} error again: ${err.message}`);
    },
    tick() {
      if (errors > 0 && sinceTick === 0) {
        logger.info(`${what} errors stopped (${errors} in this episode)`);
        errors = 0;
      }
      sinceTick = 0;
    },
  };
}
