import type { Config } from '../config.js';
import type { Store } from '../store/db.js';
import type { Proposal, ProposalInput } from '../app/dispatch/proposal.js';

/** What every route needs: the store, the configuration and the clock (a parameter, so tests fix time). */
export type AppContext = {
  config: Config;
  store: Store;
  now: () => Date;
  /** Intelligent dispatch; absent until the models are loaded (intake then needs explicit choices or review). */
  propose?: (input: ProposalInput) => Promise<Proposal>;
};
