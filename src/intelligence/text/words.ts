/**
 * Chinese words for search: one jieba per process, and the terms a text is indexed and queried by.
 *
 * Search mode (cutForSearch) also emits a long word's dictionary sub-words (居住证 → 居住, 居住证), so a query for
 * the part finds the whole. The same function cuts documents and queries; only that keeps both sides comparable.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { normalizeText } from './features.js';

/**
 * Everyday hotline words the default dictionary cuts into single characters (公租房 → 公/租房, 个税 → 个/税,
 * 摇号 → 摇/号), which would then match any text with those characters. Changing this list changes indexed terms:
 * re-save knowledge entries (or re-run their terms) after editing it.
 */
export const HOTLINE_WORDS: readonly string[] = [
  '公租房', '保障房', '共有产权房', '个税', '京籍', '非京籍', '摇号', '网约车', '房本', '网签', '失业金', '五险一金',
  '养老助残卡', '助残卡', '老旧小区', '煤改电', '煤改气', '入园', '幼升小', '接诉即办', '签注',
];
// Frequent enough to beat the single-character split, rare enough not to swallow the words around them.
const HOTLINE_WORD_FREQ = 200;

let shared: Jieba | undefined;

/**
 * The process's jieba: the default dictionary plus HOTLINE_WORDS, loaded on first use (~40 MB, well under a
 * second). Callers must not load more words into it: every module would see them, and indexed terms would drift.
 *
 * @example
 * sharedJieba().cut('公租房怎么申请', true) // → ['公租房', '怎么', '申请']
 */
export function sharedJieba(): Jieba {
  if (!shared) {
    const jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from(HOTLINE_WORDS.map((w) => `${w} ${HOTLINE_WORD_FREQ} n`).join('\n')));
    shared = jieba;
  }
  return shared;
}

// Function words, pronouns and the question words of a consultation: they say how someone asks, not what about.
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    '的 地 得 了 着 过 吗 呢 吧 啊 呀 哦 嘛 么 哈 啦 是 在 有 和 与 及 或 并 而 也 都 就 还 又 很 太 更 最 把 被 给 让 对 向 从 ' +
    '由 为 于 以 之 其 这 那 此 该 些 个 我 我们 你 你们 您 他 她 它 他们 她们 它们 自己 本人 咱 咱们 ' +
    '请问 请 问 想 想要 想问 要 需要 能 能否 可以 可否 是否 会 应该 应当 如何 怎么 怎样 怎么样 怎么办 咋 咋办 ' +
    '什么 哪些 哪个 哪里 哪儿 多少 几 为什么 为何 一下 一个 这个 那个 这些 那些 这样 那样 这里 那里 ' +
    '谢谢 您好 你好 麻烦 帮忙 咨询 了解 知道 告诉'
  ).split(' '),
);

// Tokens that carry a letter or a digit; punctuation, symbols and spaces carry nothing to search by.
const CONTENT = /[\p{L}\p{N}]/u;

/** No body is longer than this; the cut only guards jieba against a pasted book. */
const MAX_CHARS = 20_000;

/**
 * The search terms of a text, in text order with repeats (so a document's term frequencies survive): jieba's
 * search-mode words after full-width folding and lowercasing, without punctuation and stop words.
 * Deduplicate for a query.
 *
 * @example
 * searchTerms('居住证怎么办理？') // → ['居住', '居住证', '办理']
 * searchTerms('ＡＰＰ怎么提取公积金') // → ['app', '提取', '公积', '积金', '公积金']
 */
export function searchTerms(text: string): string[] {
  const { text: normalized } = normalizeText(text, MAX_CHARS);
  if (normalized === '') return [];
  const out: string[] = [];
  for (const raw of sharedJieba().cutForSearch(normalized, true)) {
    const word = raw.trim();
    if (word === '' || !CONTENT.test(word) || STOP_WORDS.has(word)) continue;
    out.push(word);
  }
  return out;
}
