// RTF4J device kernels: the batched FFT convolution (built after common.cl and fft.cl; see ClSource).

// ----------------------------------------------------------------------------------- convolution

// kappa[c, t] = kf[c, t] (t < ell), kappa[c, n-1-j] = kb[c, j] when n-1-j >= ell, else 0. Global (n, H).
__kernel void twoSidedKernel(__global const real* kf, __global const real* kb, __global real* kappa,
                             const int ell, const int n) {
    int t = get_global_id(0);
    int c = get_global_id(1);
    if (t >= n) return;
    real v = 0;
    if (t < ell) v = kf[(size_t) c * ell + t];
    else {
        int j = n - 1 - t;
        if (j < ell && t >= ell) v = kb[(size_t) c * ell + j];
    }
    kappa[(size_t) c * n + t] = v;
}

// out[r, k] = U[r, k] K[r mod H, k]; U is kept for the backward. Global size (bins, B*H).
__kernel void spectralMul(__global const real2* u, __global const real2* kspec, __global real2* out, const int bins,
                          const int h) {
    int k = get_global_id(0);
    int r = get_global_id(1);
    if (k >= bins) return;
    size_t i = (size_t) r * bins + k;
    out[i] = cmul(u[i], kspec[(size_t) (r % h) * bins + k]);
}

// Per (k, c): acc[c, k] = sum_b G[b,c,k] conj(U[b,c,k]) in batch order; G[b,c,k] <- G conj(K[c,k]); U (the
// forward's input spectra) is left as it is. Global size (bins, H).
__kernel void convBackwardSpectra(__global real2* g, __global const real2* u, __global const real2* kspec,
                                  __global real2* acc, const int bins, const int h, const int batch) {
    int k = get_global_id(0);
    int c = get_global_id(1);
    if (k >= bins) return;
    real2 kk = kspec[(size_t) c * bins + k];
    real2 a = (real2)(0, 0);
    for (int b = 0; b < batch; b++) {
        size_t i = ((size_t) b * h + c) * bins + k;
        real2 gv = g[i];
        a += cmulConj(gv, u[i]);
        g[i] = cmulConj(gv, kk);
    }
    acc[(size_t) c * bins + k] = a;
}

// dkf[c, s] = g[c, s]; dkb[c, j] = g[c, n-1-j] when n-1-j >= ell, else 0. Global size (ell, H).
__kernel void kernelGrads(__global const real* g, __global real* dkf, __global real* dkb, const int ell,
                          const int n, const int twoSided) {
    int s = get_global_id(0);
    int c = get_global_id(1);
    if (s >= ell) return;
    dkf[(size_t) c * ell + s] = g[(size_t) c * n + s];
    if (twoSided) {
        int t = n - 1 - s;
        dkb[(size_t) c * ell + s] = t >= ell ? g[(size_t) c * n + t] : 0;
    }
}
