/**
 * A small sparse linear classifier: one-vs-rest L2-regularised squared-hinge SVMs trained by dual coordinate descent
 * (Hsieh et al. 2008, the liblinear `-s 1` solver, with its shrinking), on features scaled per class by naive-Bayes
 * log-count ratios (NB-SVM, Wang & Manning 2012). Pure and deterministic: the only randomness is a seeded shuffle.
 */

/** Rows in compressed sparse row form; row i's entries are indices/values[indptr[i] … indptr[i+1]). */
export type CsrMatrix = {
  nRows: number;
  nCols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
};

export type LinearTrainOptions = {
  /** Inverse regularisation strength; larger fits the training data harder. */
  C: number;
  /** Smoothing of the naive-Bayes ratios; 0 turns NB scaling off (plain SVM). */
  nbAlpha: number;
  /** Compute NB ratios from presence (1/0) instead of feature values. */
  nbBinary: boolean;
  /** Value of the constant bias feature (regularised like the others, as in liblinear). */
  biasValue: number;
  /** Weight C per class so each class's positives and negatives count equally overall. */
  balanced: boolean;
  /** Stop when the projected-gradient spread falls under this (liblinear's eps). */
  tolerance: number;
  maxEpochs: number;
  seed: number;
};

export const defaultLinearOptions: LinearTrainOptions = {
  C: 1,
  nbAlpha: 0.02,
  nbBinary: false,
  biasValue: 1,
  balanced: true,
  tolerance: 0.1,
  maxEpochs: 200,
  seed: 1,
};

/** One weight per (feature, class), feature-major (`weights[j * nClasses + c]`), NB ratios already folded in. */
export type LinearModel = {
  nClasses: number;
  nFeatures: number;
  weights: Float64Array;
  bias: Float64Array;
};

export type TrainProgress = { classIndex: number; nClasses: number; epochs: number };

/**
 * A seeded 32-bit PRNG (mulberry32) returning floats in [0, 1).
 *
 * @example
 * const rand = mulberry32(42); rand(); // same sequence every run
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Build a CSR matrix from sparse rows (each with distinct indices, in any order).
 *
 * @example
 * const X = csrFromRows([{ indices: Int32Array.of(0, 2), values: Float64Array.of(1, 1) }], 3);
 */
export function csrFromRows(rows: readonly { indices: Int32Array; values: ArrayLike<number> }[], nCols: number): CsrMatrix {
  let nnz = 0;
  for (const r of rows) nnz += r.indices.length;
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let k = 0;
  rows.forEach((r, i) => {
    indices.set(r.indices, k);
    for (let m = 0; m < r.indices.length; m++) values[k + m] = r.values[m] ?? 0;
    k += r.indices.length;
    indptr[i + 1] = k;
  });
  return { nRows: rows.length, nCols, indptr, indices, values };
}

/**
 * Naive-Bayes log-count ratio per feature for "class `cls` vs the rest": r = log((α+p)/|α+p|₁) − log((α+q)/|α+q|₁),
 * where p and q sum the feature over positive and negative rows.
 *
 * @example
 * const r = nbLogCountRatio(X, y, 0, 1); // r[j] > 0: feature j leans towards class 0
 */
export function nbLogCountRatio(X: CsrMatrix, y: Int32Array, cls: number, alpha: number, binary = false): Float64Array {
  const p = new Float64Array(X.nCols).fill(alpha);
  const q = new Float64Array(X.nCols).fill(alpha);
  for (let i = 0; i < X.nRows; i++) {
    const target = y[i] === cls ? p : q;
    for (let k = X.indptr[i] ?? 0, end = X.indptr[i + 1] ?? 0; k < end; k++) {
      const j = X.indices[k] ?? 0;
      target[j] = (target[j] ?? 0) + (binary ? 1 : (X.values[k] ?? 0));
    }
  }
  let sp = 0;
  let sq = 0;
  for (let j = 0; j < X.nCols; j++) {
    sp += p[j] ?? 0;
    sq += q[j] ?? 0;
  }
  const r = new Float64Array(X.nCols);
  for (let j = 0; j < X.nCols; j++) r[j] = Math.log((p[j] ?? 1) / sp) - Math.log((q[j] ?? 1) / sq);
  return r;
}

/**
 * Train one binary squared-hinge SVM by dual coordinate descent. `values` are the matrix values as the solver should
 * see them (already scaled); `sign[i]` is +1 or −1; `cost[i]` is C for row i.
 *
 * @example
 * const { w, b, epochs } = trainBinary(X, X.values, sign, cost, defaultLinearOptions);
 */
export function trainBinary(
  X: CsrMatrix,
  values: ArrayLike<number>,
  sign: Int8Array,
  cost: Float64Array,
  opts: Pick<LinearTrainOptions, 'biasValue' | 'tolerance' | 'maxEpochs' | 'seed'>,
): { w: Float64Array; b: number; epochs: number } {
  const { nRows: n, indptr, indices } = X;
  const w = new Float64Array(X.nCols);
  let wb = 0;
  const B = opts.biasValue;
  const alpha = new Float64Array(n);
  const diag = new Float64Array(n);
  const qd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    diag[i] = 0.5 / (cost[i] ?? 1);
    let s = B * B;
    for (let k = indptr[i] ?? 0, end = indptr[i + 1] ?? 0; k < end; k++) s += (values[k] ?? 0) ** 2;
    qd[i] = s + (diag[i] ?? 0);
  }
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  const rand = mulberry32(opts.seed);
  let active = n;
  // Only the lower bound shrinks: squared hinge has no upper bound on alpha, so liblinear's PGmin_old is not needed.
  let pgMaxOld = Infinity;
  let epoch = 0;
  while (epoch < opts.maxEpochs) {
    epoch++;
    for (let s = 0; s < active; s++) {
      const t = s + Math.floor(rand() * (active - s));
      const tmp = index[s] ?? 0;
      index[s] = index[t] ?? 0;
      index[t] = tmp;
    }
    let pgMax = -Infinity;
    let pgMin = Infinity;
    for (let s = 0; s < active; s++) {
      const i = index[s] ?? 0;
      const yi = sign[i] ?? 1;
      const start = indptr[i] ?? 0;
      const end = indptr[i + 1] ?? 0;
      let dot = wb * B;
      for (let k = start; k < end; k++) dot += (w[indices[k] ?? 0] ?? 0) * (values[k] ?? 0);
      const ai = alpha[i] ?? 0;
      const g = yi * dot - 1 + ai * (diag[i] ?? 0);
      let pg = 0;
      if (ai === 0) {
        if (g > pgMaxOld) {
          // Shrinking: this row sits well outside the margin; stop visiting it until the final check.
          active--;
          index[s] = index[active] ?? 0;
          index[active] = i;
          s--;
          continue;
        }
        if (g < 0) pg = g;
      } else pg = g;
      if (pg > pgMax) pgMax = pg;
      if (pg < pgMin) pgMin = pg;
      if (Math.abs(pg) > 1e-12) {
        const next = Math.max(ai - g / (qd[i] ?? 1), 0);
        alpha[i] = next;
        const d = (next - ai) * yi;
        for (let k = start; k < end; k++) {
          const j = indices[k] ?? 0;
          w[j] = (w[j] ?? 0) + d * (values[k] ?? 0);
        }
        wb += d * B;
      }
    }
    if (pgMax - pgMin <= opts.tolerance) {
      if (active === n) break;
      // Converged on the shrunk set: check every row once more before stopping.
      active = n;
      pgMaxOld = Infinity;
      continue;
    }
    pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
  }
  return { w, b: wb * B, epochs: epoch };
}

/**
 * Train one-vs-rest NB-SVMs for `nClasses` classes (`y[i]` in 0…nClasses−1) and fold the NB ratios into the weights.
 *
 * @example
 * const model = trainOneVsRest(X, y, 3, { ...defaultLinearOptions, C: 1 });
 * const scores = decision(model, x.indices, x.values);
 */
export function trainOneVsRest(
  X: CsrMatrix,
  y: Int32Array,
  nClasses: number,
  opts: LinearTrainOptions = defaultLinearOptions,
  onProgress?: (p: TrainProgress) => void,
): LinearModel {
  const weights = new Float64Array(X.nCols * nClasses);
  const bias = new Float64Array(nClasses);
  const scaled = new Float64Array(X.values.length);
  const sign = new Int8Array(X.nRows);
  const cost = new Float64Array(X.nRows);
  for (let c = 0; c < nClasses; c++) {
    const r = opts.nbAlpha > 0 ? nbLogCountRatio(X, y, c, opts.nbAlpha, opts.nbBinary) : new Float64Array(X.nCols).fill(1);
    for (let k = 0; k < scaled.length; k++) scaled[k] = (X.values[k] ?? 0) * (r[X.indices[k] ?? 0] ?? 0);
    let positives = 0;
    for (let i = 0; i < X.nRows; i++) {
      sign[i] = y[i] === c ? 1 : -1;
      if (sign[i] === 1) positives++;
    }
    const negatives = X.nRows - positives;
    for (let i = 0; i < X.nRows; i++) {
      const share = sign[i] === 1 ? positives : negatives;
      cost[i] = opts.balanced && share > 0 ? (opts.C * X.nRows) / (2 * share) : opts.C;
    }
    const { w, b, epochs } = trainBinary(X, scaled, sign, cost, { ...opts, seed: opts.seed + c });
    for (let j = 0; j < X.nCols; j++) weights[j * nClasses + c] = (w[j] ?? 0) * (r[j] ?? 0);
    bias[c] = b;
    onProgress?.({ classIndex: c, nClasses, epochs });
  }
  return { nClasses, nFeatures: X.nCols, weights, bias };
}

/**
 * Class scores (margins) of one sparse row: bias + Σ weights[j, c] · x_j.
 *
 * @example
 * decision(model, Int32Array.of(0, 5), Float64Array.of(0.6, 0.8)); // Float64Array of nClasses margins
 */
export function decision(
  model: { nClasses: number; weights: ArrayLike<number>; bias: ArrayLike<number> },
  indices: ArrayLike<number>,
  values: ArrayLike<number>,
  out: Float64Array = new Float64Array(model.nClasses),
): Float64Array {
  const { nClasses, weights } = model;
  out.set(model.bias);
  for (let k = 0; k < indices.length; k++) {
    const base = (indices[k] ?? 0) * nClasses;
    const v = values[k] ?? 0;
    for (let c = 0; c < nClasses; c++) out[c] = (out[c] ?? 0) + (weights[base + c] ?? 0) * v;
  }
  return out;
}

/**
 * Softmax of `scores / temperature` (numerically stable).
 *
 * @example
 * softmax(Float64Array.of(1, 0), 0.5); // ≈ [0.88, 0.12]
 */
export function softmax(scores: ArrayLike<number>, temperature = 1): Float64Array {
  const out = new Float64Array(scores.length);
  let max = -Infinity;
  for (let c = 0; c < scores.length; c++) max = Math.max(max, scores[c] ?? 0);
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    const e = Math.exp(((scores[c] ?? 0) - max) / temperature);
    out[c] = e;
    sum += e;
  }
  for (let c = 0; c < out.length; c++) out[c] = (out[c] ?? 0) / sum;
  return out;
}

/**
 * The temperature T minimising the negative log-likelihood of softmax(margins / T) on held-out rows (golden-section
 * search over log T in [0.01, 10]).
 *
 * @example
 * fitTemperature([Float64Array.of(0.9, -0.8)], Int32Array.of(0)); // small T: the margin was right and clear
 */
export function fitTemperature(margins: readonly ArrayLike<number>[], y: ArrayLike<number>): number {
  const nll = (logT: number): number => {
    const t = Math.exp(logT);
    let total = 0;
    margins.forEach((m, i) => {
      total -= Math.log(Math.max(softmax(m, t)[y[i] ?? 0] ?? 0, 1e-12));
    });
    return total;
  };
  let lo = Math.log(0.01);
  let hi = Math.log(10);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = nll(a);
  let fb = nll(b);
  for (let it = 0; it < 60; it++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = nll(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = nll(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}

