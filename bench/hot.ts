/**
 * Hot-issue benchmark: `npx tsx bench/hot.ts` (or `npm run bench hot`).
 *
 * Times what `jiesu hot` does over the teddy2020 hot messages (features: jieba words and places; grouping; heat) and,
 * as the baseline measured in the same run, what any text model must do anyway: jieba's search words of every title
 * and body. These machines are shared and noisy, so each figure is the best of three passes, and the ratio to the
 * baseline is what to compare between runs. Skipped, with a message, when the data is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { sharedJieba, searchTerms } from '../src/intelligence/text/words.js';
import { findHotIssues, hotIssuesFromFeatures, messageFeatures, type HotMessage } from '../src/intelligence/hot/hotIssues.js';
import { groupDocs } from '../src/intelligence/hot/group.js';

export type HotBench = {
  skipped?: string;
  messages?: number;
  jiebaLoadMs?: number;
  baselineTokenizeMs?: number;
  featuresMs?: number;
  groupMs?: number;
  totalMs?: number;
  ratio?: number;
  pairsScored?: number;
  issues?: number;
};

const PASSES = 3;

function best(fn: () => void): number {
  let min = Infinity;
  for (let p = 0; p < PASSES; p++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return Math.round(min);
}

/**
 * Run the benchmark and return its figures.
 *
 * @example
 * const figures = await run(); // { messages: 4326, baselineTokenizeMs, totalMs, ratio, … }
 */
export async function run(opts: { log?: (line: string) => void } = {}): Promise<HotBench> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  // The teddy folder as the application finds it (JIESU_TEDDY_DIR, default ../shared/data/teddy2020 from the root).
  const teddy = path.resolve(root, loadConfig({ JIESU_TEDDY_DIR: process.env.JIESU_TEDDY_DIR }).teddyDir);
  const file = path.join(teddy, 'hot_messages.jsonl');
  if (!existsSync(file)) {
    const skipped = `teddy2020 data not found at ${teddy}: hot-issue benchmark skipped`;
    log(`hot: ${skipped}`);
    return { skipped };
  }
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { id: string; title: string; body: string; time: string; likes: number; dislikes: number; user: string });
  const messages: HotMessage[] = rows.map((r) => ({ ...r, time: new Date(`${r.time.replace(' ', 'T')}+08:00`) }));

  const j0 = performance.now();
  sharedJieba();
  const jiebaLoadMs = Math.round(performance.now() - j0);
  const baselineTokenizeMs = best(() => {
    for (const m of messages) {
      searchTerms(m.title ?? '');
      searchTerms(m.body ?? '');
    }
  });
  let features = messages.map((m) => messageFeatures(m));
  const featuresMs = best(() => {
    features = messages.map((m) => messageFeatures(m));
  });
  let pairsScored = 0;
  const groupMs = best(() => {
    pairsScored = groupDocs(features).pairsScored;
  });
  let issues = 0;
  const totalMs = best(() => {
    issues = findHotIssues(messages, { top: 10 }).length;
  });
  // The same answer from precomputed features: the grouping part is cheap next to the words.
  hotIssuesFromFeatures(messages, features, { top: 10 });
  const result: HotBench = {
    messages: messages.length,
    jiebaLoadMs,
    baselineTokenizeMs,
    featuresMs,
    groupMs,
    totalMs,
    ratio: Math.round((totalMs / Math.max(1, baselineTokenizeMs)) * 100) / 100,
    pairsScored,
    issues,
  };
  log(
    `hot: ${result.messages} messages (best of ${PASSES}); jieba load ${jiebaLoadMs} ms; baseline (search words of every title and body) ` +
      `${baselineTokenizeMs} ms; jiesu hot ${totalMs} ms = features ${featuresMs} ms + grouping ${groupMs} ms (${pairsScored} pairs scored) ` +
      `+ heat; ratio to baseline ×${result.ratio}; ${issues} issues`,
  );
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  run().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
