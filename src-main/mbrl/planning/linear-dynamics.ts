/**
 * A global linear model x′ = A x + B u + c fitted by ridge least squares to observed transitions, as
 * iLQR dynamics: the "same controller on the true state" baseline of issue 6's latent results (iLQR
 * toward the goal state on a model fitted to true states instead of to pixels). Plain TypeScript on
 * small dense matrices.
 */
import type { IlqrDynamics } from './ilqr';

/** x′ = A x + B u + c: A [n·n], B [n·m] row-major, c [n]. */
export interface LinearDynamics {
  stateDim: number;
  actDim: number;
  A: Float64Array;
  B: Float64Array;
  c: Float64Array;
}

/**
 * Fits {@link LinearDynamics} to transitions: states [N·n], actions [N·m], next states [N·n], by ridge
 * regression (λ on A, B and c alike; small, only to keep constant state dims solvable).
 * @throws RangeError on mismatched lengths or no transitions.
 */
export function fitLinearDynamics(states: ArrayLike<number>, actions: ArrayLike<number>, nextStates: ArrayLike<number>, n: number, m: number, ridge = 1e-6): LinearDynamics {
  const N = states.length / n;
  if (!Number.isInteger(N) || N < 1 || actions.length !== N * m || nextStates.length !== N * n) {
    throw new RangeError(`fitLinearDynamics: ${states.length} state, ${actions.length} action and ${nextStates.length} next-state values are not ${n}/${m}/${n} per transition`);
  }
  const p = n + m + 1;
  const XtX = new Float64Array(p * p);
  const XtY = new Float64Array(p * n);
  const row = new Float64Array(p);
  for (let k = 0; k < N; k++) {
    for (let i = 0; i < n; i++) row[i] = states[k * n + i];
    for (let j = 0; j < m; j++) row[n + j] = actions[k * m + j];
    row[p - 1] = 1;
    for (let a = 0; a < p; a++) {
      const ra = row[a];
      for (let b = 0; b < p; b++) XtX[a * p + b] += ra * row[b];
      for (let i = 0; i < n; i++) XtY[a * n + i] += ra * nextStates[k * n + i];
    }
  }
  for (let a = 0; a < p; a++) XtX[a * p + a] += ridge * N;
  const W = solveSpd(XtX, XtY, p, n); // [p × n]: x′ᵀ = [xᵀ uᵀ 1] W
  const A = new Float64Array(n * n);
  const B = new Float64Array(n * m);
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < n; r++) A[i * n + r] = W[r * n + i];
    for (let j = 0; j < m; j++) B[i * m + j] = W[(n + j) * n + i];
    c[i] = W[(p - 1) * n + i];
  }
  return { stateDim: n, actDim: m, A, B, c };
}

/** Solves S X = Y for symmetric positive-definite S [p×p], Y [p×q] (Cholesky). */
function solveSpd(S: Float64Array, Y: Float64Array, p: number, q: number): Float64Array {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = S[i * p + j];
      for (let l = 0; l < j; l++) s -= L[i * p + l] * L[j * p + l];
      if (i === j) {
        if (!(s > 0)) throw new Error('fitLinearDynamics: the normal equations are singular (no variation in the data?)');
        L[i * p + i] = Math.sqrt(s);
      } else L[i * p + j] = s / L[j * p + j];
    }
  }
  const X = new Float64Array(p * q);
  for (let col = 0; col < q; col++) {
    const y = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      let s = Y[i * q + col];
      for (let l = 0; l < i; l++) s -= L[i * p + l] * y[l];
      y[i] = s / L[i * p + i];
    }
    for (let i = p - 1; i >= 0; i--) {
      let s = y[i];
      for (let l = i + 1; l < p; l++) s -= L[l * p + i] * X[l * q + col];
      X[i * q + col] = s / L[i * p + i];
    }
  }
  return X;
}

/** {@link LinearDynamics} as iLQR dynamics (exact Jacobians A, B everywhere). */
export function linearIlqrDynamics(model: LinearDynamics): IlqrDynamics {
  const { stateDim: n, actDim: m, A, B, c } = model;
  return {
    stateDim: n,
    actDim: m,
    step(x, u, rows) {
      const out = new Float64Array(rows * n);
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < n; i++) {
          let s = c[i];
          for (let k = 0; k < n; k++) s += A[i * n + k] * x[r * n + k];
          for (let j = 0; j < m; j++) s += B[i * m + j] * u[r * m + j];
          out[r * n + i] = s;
        }
      }
      return out;
    },
    linearize(_x, _u, rows) {
      const As = new Float64Array(rows * n * n);
      const Bs = new Float64Array(rows * n * m);
      for (let r = 0; r < rows; r++) {
        As.set(A, r * n * n);
        Bs.set(B, r * n * m);
      }
      return { A: As, B: Bs };
    },
  };
}
