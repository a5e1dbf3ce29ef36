import type { Config } from '../config.js';
import type { Store } from '../store/db.js';

/** What every route needs: the store, the configuration and the clock (a parameter, so tests fix time). */
export type AppContext = {
  config: Config;
  store: Store;
  now: () => Date;
};
