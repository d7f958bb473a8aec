/**
 * iLQR (iterative LQR) on small dense matrices in plain TypeScript: fast for latent sizes (n ≤ ~16),
 * where a tensor library's per-op overhead would dominate.
 *
 * Cost: Σₜ ½(xₜ − g)ᵀQ(xₜ − g) + ½uₜᵀRuₜ for t < H, plus ½(x_H − g)ᵀQ_f(x_H − g). Dynamics come from a
 * {@link IlqrDynamics}: a step function and its local linearisation (for E2C the network's own A(z), B(z)).
 * Action bounds are enforced by clamping in the forward pass.
 */

/** Dynamics for iLQR. States are [n], actions [m]; batches are row-major. */
export interface IlqrDynamics {
  readonly stateDim: number;
  readonly actDim: number;
  /** Next states of `rows` (state, action) pairs: x [rows·n], u [rows·m] → [rows·n]. */
  step(x: Float64Array, u: Float64Array, rows: number): Float64Array;
  /** Jacobians at `rows` points: A [rows·n·n] (∂x′/∂x), B [rows·n·m] (∂x′/∂u), row-major. */
  linearize(x: Float64Array, u: Float64Array, rows: number): { A: Float64Array; B: Float64Array };
}

/** Settings of {@link ilqr}. */
export interface IlqrConfig {
  horizon: number;
  /** Running state cost weights: diagonal of Q [n]. */
  stateCost: ArrayLike<number>;
  /** Terminal state cost weights: diagonal of Q_f [n]. */
  finalStateCost: ArrayLike<number>;
  /** Action cost weights: diagonal of R [m]. */
  actionCost: ArrayLike<number>;
  /** Most backward/forward sweeps. */
  iterations: number;
  /** Per-dimension action bounds [m] each. */
  low: ArrayLike<number>;
  high: ArrayLike<number>;
  /** Stop when the relative cost improvement falls below this. Default 1e-6. */
  tolerance?: number;
}

/** What {@link ilqr} found. */
export interface IlqrResult {
  /** Actions [H·m]. */
  actions: Float64Array;
  /** Predicted states x₀…x_H: [(H+1)·n]. */
  states: Float64Array;
  cost: number;
  /** Cost after each accepted iteration (index 0: the initial guess). */
  costs: number[];
  iterations: number;
}

const ALPHAS = [1, 0.5, 0.25, 0.1, 0.03, 0.01];

/** Runs iLQR from x0 [n] toward `goal` [n], warm-started from `initialActions` [H·m]. */
export function ilqr(dyn: IlqrDynamics, x0: ArrayLike<number>, goal: ArrayLike<number>, initialActions: ArrayLike<number>, config: IlqrConfig): IlqrResult {
  const n = dyn.stateDim;
  const m = dyn.actDim;
  const H = config.horizon;
  if (x0.length !== n || goal.length !== n) throw new Error(`ilqr: x0 has ${x0.length} and goal ${goal.length} dims, the dynamics ${n}`);
  if (initialActions.length !== H * m) throw new Error(`ilqr: initial actions have ${initialActions.length} values, expected ${H * m}`);
  const Q = Float64Array.from(config.stateCost);
  const Qf = Float64Array.from(config.finalStateCost);
  const R = Float64Array.from(config.actionCost);
  const tol = config.tolerance ?? 1e-6;

  const clampU = (u: Float64Array) => {
    for (let i = 0; i < u.length; i++) u[i] = Math.min(config.high[i % m], Math.max(config.low[i % m], u[i]));
    return u;
  };
  const cost = (xs: Float64Array, us: Float64Array) => {
    // xs: [(H+1)·n] for one trajectory; us: [H·m].
    let c = 0;
    for (let t = 0; t <= H; t++) {
      const W = t === H ? Qf : Q;
      for (let i = 0; i < n; i++) c += 0.5 * W[i] * (xs[t * n + i] - goal[i]) ** 2;
    }
    for (let t = 0; t < H; t++) for (let j = 0; j < m; j++) c += 0.5 * R[j] * us[t * m + j] ** 2;
    return c;
  };
  const rollout = (us: Float64Array) => {
    const xs = new Float64Array((H + 1) * n);
    xs.set(Float64Array.from(x0));
    for (let t = 0; t < H; t++) xs.set(dyn.step(xs.subarray(t * n, (t + 1) * n), us.subarray(t * m, (t + 1) * m), 1), (t + 1) * n);
    return xs;
  };

  let us = clampU(Float64Array.from(initialActions));
  let xs = rollout(us);
  let J = cost(xs, us);
  const costs = [J];
  let mu = 1e-6;
  let it = 0;
  const k = new Float64Array(H * m);
  const K = new Float64Array(H * m * n);
  for (; it < config.iterations; it++) {
    const { A, B } = dyn.linearize(xs.subarray(0, H * n), us, H);
    if (!backward(A, B, xs, us)) {
      mu = Math.max(mu * 10, 1e-4);
      if (mu > 1e8) break;
      continue;
    }
    // Line search: try step sizes in one batched rollout (rows = alphas).
    const S = ALPHAS.length;
    const xsB = new Float64Array(S * (H + 1) * n);
    const usB = new Float64Array(S * H * m);
    const xt = new Float64Array(S * n);
    const ut = new Float64Array(S * m);
    for (let s = 0; s < S; s++) xsB.set(Float64Array.from(x0), s * (H + 1) * n);
    for (let t = 0; t < H; t++) {
      for (let s = 0; s < S; s++) {
        const base = s * (H + 1) * n + t * n;
        for (let j = 0; j < m; j++) {
          let u = us[t * m + j] + ALPHAS[s] * k[t * m + j];
          for (let i = 0; i < n; i++) u += K[(t * m + j) * n + i] * (xsB[base + i] - xs[t * n + i]);
          ut[s * m + j] = Math.min(config.high[j], Math.max(config.low[j], u));
        }
        xt.set(xsB.subarray(base, base + n), s * n);
        usB.set(ut.subarray(s * m, (s + 1) * m), s * H * m + t * m);
      }
      const next = dyn.step(xt, ut, S);
      for (let s = 0; s < S; s++) xsB.set(next.subarray(s * n, (s + 1) * n), s * (H + 1) * n + (t + 1) * n);
    }
    let best = -1;
    let bestJ = J;
    for (let s = 0; s < S; s++) {
      const Js = cost(xsB.subarray(s * (H + 1) * n, (s + 1) * (H + 1) * n), usB.subarray(s * H * m, (s + 1) * H * m));
      if (Js < bestJ) {
        bestJ = Js;
        best = s;
      }
    }
    if (best < 0) {
      mu = Math.max(mu * 10, 1e-4);
      if (mu > 1e8) break;
      continue;
    }
    const improvement = (J - bestJ) / Math.max(Math.abs(J), 1e-12);
    xs = xsB.slice(best * (H + 1) * n, (best + 1) * (H + 1) * n);
    us = usB.slice(best * H * m, (best + 1) * H * m);
    J = bestJ;
    costs.push(J);
    mu = Math.max(mu / 10, 1e-8);
    if (improvement < tol) {
      it++;
      break;
    }
  }
  return { actions: us, states: xs, cost: J, costs, iterations: it };

  /** Riccati sweep; fills k, K. False when Q_uu is not positive definite (raise μ). */
  function backward(A: Float64Array, B: Float64Array, xs: Float64Array, us: Float64Array): boolean {
    let Vx = new Float64Array(n);
    let Vxx = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      Vx[i] = Qf[i] * (xs[H * n + i] - goal[i]);
      Vxx[i * n + i] = Qf[i];
    }
    for (let t = H - 1; t >= 0; t--) {
      const At = A.subarray(t * n * n, (t + 1) * n * n);
      const Bt = B.subarray(t * n * m, (t + 1) * n * m);
      // Qx = Q(x − g) + Aᵀ Vx; Qu = R u + Bᵀ Vx
      const Qx = new Float64Array(n);
      const Qu = new Float64Array(m);
      for (let i = 0; i < n; i++) {
        let s = Q[i] * (xs[t * n + i] - goal[i]);
        for (let r = 0; r < n; r++) s += At[r * n + i] * Vx[r];
        Qx[i] = s;
      }
      for (let j = 0; j < m; j++) {
        let s = R[j] * us[t * m + j];
        for (let r = 0; r < n; r++) s += Bt[r * m + j] * Vx[r];
        Qu[j] = s;
      }
      // VA = Vxx A [n×n], VB = Vxx B [n×m]
      const VA = matMul(Vxx, At, n, n, n);
      const VB = matMul(Vxx, Bt, n, n, m);
      const Qxx = matTMul(At, VA, n, n, n); // Aᵀ Vxx A
      for (let i = 0; i < n; i++) Qxx[i * n + i] += Q[i];
      const Quu = matTMul(Bt, VB, n, m, m); // Bᵀ Vxx B
      for (let j = 0; j < m; j++) Quu[j * m + j] += R[j] + mu;
      const Qux = matTMul(Bt, VA, n, m, n); // Bᵀ Vxx A [m×n]
      const L = cholesky(Quu, m);
      if (!L) return false;
      const kt = choleskySolve(L, Qu, m).map((v) => -v);
      k.set(kt, t * m);
      for (let i = 0; i < n; i++) {
        const col = new Float64Array(m);
        for (let j = 0; j < m; j++) col[j] = Qux[j * n + i];
        const sol = choleskySolve(L, col, m);
        for (let j = 0; j < m; j++) K[(t * m + j) * n + i] = -sol[j];
      }
      const Kt = K.subarray(t * m * n, (t + 1) * m * n);
      // Vx = Qx + Kᵀ Quu k + Kᵀ Qu + Quxᵀ k;  Vxx = Qxx + Kᵀ Quu K + Kᵀ Qux + Quxᵀ K
      const nVx = Float64Array.from(Qx);
      const Quuk = matMul(Quu, kt, m, m, 1);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += Kt[j * n + i] * (Quuk[j] + Qu[j]) + Qux[j * n + i] * kt[j];
        nVx[i] += s;
      }
      const QuuK = matMul(Quu, Kt, m, m, n);
      const nVxx = Float64Array.from(Qxx);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < n; c++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += Kt[j * n + i] * QuuK[j * n + c] + Kt[j * n + i] * Qux[j * n + c] + Qux[j * n + i] * Kt[j * n + c];
          nVxx[i * n + c] += s;
        }
      }
      for (let i = 0; i < n; i++) {
        for (let c = i + 1; c < n; c++) {
          const avg = 0.5 * (nVxx[i * n + c] + nVxx[c * n + i]);
          nVxx[i * n + c] = nVxx[c * n + i] = avg;
        }
      }
      Vx = nVx;
      Vxx = nVxx;
    }
    return true;
  }
}

/** X [r×c] · Y [c×d] → [r×d]. */
function matMul(X: ArrayLike<number>, Y: ArrayLike<number>, r: number, c: number, d: number): Float64Array {
  const out = new Float64Array(r * d);
  for (let i = 0; i < r; i++) for (let l = 0; l < c; l++) {
    const x = X[i * c + l];
    if (x !== 0) for (let j = 0; j < d; j++) out[i * d + j] += x * Y[l * d + j];
  }
  return out;
}

/** Xᵀ Y for X [r×c], Y [r×d] → [c×d]. */
function matTMul(X: ArrayLike<number>, Y: ArrayLike<number>, r: number, c: number, d: number): Float64Array {
  const out = new Float64Array(c * d);
  for (let l = 0; l < r; l++) for (let i = 0; i < c; i++) {
    const x = X[l * c + i];
    if (x !== 0) for (let j = 0; j < d; j++) out[i * d + j] += x * Y[l * d + j];
  }
  return out;
}

/** Lower-triangular L with L Lᵀ = S [m×m], or null when S is not positive definite. */
function cholesky(S: Float64Array, m: number): Float64Array | null {
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = S[i * m + j];
      for (let l = 0; l < j; l++) s -= L[i * m + l] * L[j * m + l];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * m + i] = Math.sqrt(s);
      } else L[i * m + j] = s / L[j * m + j];
    }
  }
  return L;
}

/** Solves L Lᵀ x = b. */
function choleskySolve(L: Float64Array, b: ArrayLike<number>, m: number): Float64Array {
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i];
    for (let l = 0; l < i; l++) s -= L[i * m + l] * y[l];
    y[i] = s / L[i * m + i];
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = y[i];
    for (let l = i + 1; l < m; l++) s -= L[l * m + i] * x[l];
    x[i] = s / L[i * m + i];
  }
  return x;
}
