package org.rtf4j.baselines;

import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_ZDRM;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.kernels.backend.PendingRead;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.NumericalFailureException;
import org.rtf4j.layer.Recurrence;

/**
 * S4 (Gu et al. 2022) in normal-plus-low-rank form, rank 1, bilinear, HiPPO-LegS initialisation: state
 * matrix {@code A = diag(Λ) − P Q*}, Q = conj P (over the stored modes and their conjugates). The kernel
 * of length L (the layer's maximum length; inputs see its first ℓ taps) comes from Cauchy sums at
 * {@code z_k = 2(1−ω_k)/(1+ω_k)}, the rank-1 Woodbury correction, the factor {@code 2/(1+ω_k)}, the
 * analytic Nyquist value and an inverse real FFT (math reference §10.3); C is stored truncated,
 * {@code C̃ = C(I − Ā^L)}. The O(H·N·L) Cauchy sums run on the backend
 * ({@link org.rtf4j.kernels.backend.KernelId#CAUCHY}); the O(H·N) maps and chain rule (§10.7) on the host.
 * The initial C̃ is drawn directly (Re, Im ~ N(0, 1/2)); the reference draws C and truncates it.
 */
public final class S4Layer extends ModalLayer {
    private final ModalShape shape;
    private final DeviceBuffer wBuf;
    private final DeviceBuffer[] vBuf;
    private final DeviceBuffer dBuf;
    private final DeviceBuffer kHat;
    private final DeviceBuffer gSpec;
    private final DeviceBuffer gvBuf;
    private final DeviceBuffer gwBuf;
    private final DeviceBuffer gammaBuf;
    private final DeviceBuffer lag0GradBuf;
    private final double[] w;
    private final double[] v;
    /** The Cauchy part's gradients read back, per direction: gv (4·2·H·M), gw (2·H·M), gamma (H); lag0 (H). */
    private final double[] hostGv;
    private final double[] hostGw;
    private final double[] hostGamma;
    private final double[] hostLag0;
    /** Deferred reads of the backward pass: gv, gw, gamma per direction, then lag0. */
    private final PendingRead[] reads;

    public S4Layer(SsmConfig config, Backend backend) {
        super(affordable(requireKind(config), LayerKind.S4, hostBytes(config), bufferBytes(config), backend), backend,
            true);
        shape = new ModalShape(h, modes, maxLength);
        int n2 = 2 * h * modes;
        w = new double[n2];
        v = new double[dirs * 4 * n2];
        hostGv = new double[dirs * 4 * n2];
        hostGw = new double[dirs * n2];
        hostGamma = new double[dirs * h];
        hostLag0 = new double[h];
        reads = new PendingRead[3 * dirs + 1];
        wBuf = be.allocate(p, n2);
        vBuf = new DeviceBuffer[dirs];
        for (int d = 0; d < dirs; d++) {
            vBuf[d] = be.allocate(p, 4 * n2);
        }
        dBuf = be.allocate(p, h);
        kHat = be.allocate(p, shape.spectrumLength());
        gSpec = be.allocate(p, shape.spectrumLength());
        gvBuf = be.allocate(p, 4 * n2);
        gwBuf = be.allocate(p, n2);
        gammaBuf = be.allocate(p, h);
        lag0GradBuf = be.allocate(p, h);
    }

    /**
     * Heap bytes a layer of this configuration allocates when built: {@link ModalLayer#parameterBytes} and the
     * host arrays of the parameter maps and of the gradients read back ((1 + 9D)·2·H·M + (1 + D)·H float64
     * values, D the directions). Saturates.
     */
    public static long hostBytes(SsmConfig c) {
        long n2 = MemoryCheck.times(2, c.channels(), c.modes());
        return MemoryCheck.plus(parameterBytes(c), MemoryCheck.times(8, MemoryCheck.plus(
            MemoryCheck.times(1 + 9 * c.directions(), n2), MemoryCheck.times(1 + c.directions(), c.channels()))));
    }

    /**
     * Bytes of the backend buffers the constructor allocates ((6 + 4D)·2·H·M + 3H values and the two (H, L/2+1)
     * complex spectra of the Cauchy kernel, in the layer's precision); the convolution's per-shape buffers come
     * on top. Saturates.
     */
    public static long bufferBytes(SsmConfig c) {
        long n2 = MemoryCheck.times(2, c.channels(), c.modes());
        long spectra = MemoryCheck.times(4, c.maxLength() / 2 + 1, c.channels());
        return MemoryCheck.times(c.precision().bytes(), MemoryCheck.plus(MemoryCheck.times(6 + 4 * c.directions(), n2),
            MemoryCheck.times(3, c.channels()), spectra));
    }

    private static SsmConfig requireKind(SsmConfig c) {
        if (c == null || c.kind() != LayerKind.S4) {
            throw new IllegalArgumentException("S4Layer needs an S4 configuration, got " + (c == null ? null : c.kind()));
        }
        return c;
    }

    @Override
    public LayerKind kind() {
        return LayerKind.S4;
    }

    /** P of channel c, mode m. */
    private Complex pm(int c, int m) {
        return Complex.of(pParam.value(), 2 * (c * modes + m));
    }

    /** w = ΔΛ and v_XY = Δ·X·Y, XY ∈ (C̃B, C̃P, QB, QP), layout (4, H, M) per direction. */
    private void products() {
        int n2 = 2 * h * modes;
        for (int c = 0; c < h; c++) {
            double dt = delta(c);
            for (int m = 0; m < modes; m++) {
                int i = 2 * (c * modes + m);
                lambda(c, m).times(dt).into(w, i);
                Complex bm = b(c, m);
                Complex pv = pm(c, m);
                Complex q = pv.conj();
                for (int d = 0; d < dirs; d++) {
                    int o = d * 4 * n2 + i;
                    Complex ct = c(d, c, m);
                    ct.times(bm).times(dt).into(v, o);
                    ct.times(pv).times(dt).into(v, o + n2);
                    q.times(bm).times(dt).into(v, o + 2 * n2);
                    q.times(pv).times(dt).into(v, o + 3 * n2);
                }
            }
        }
    }

    @Override
    protected void generateKernels(int length) {
        products();
        int n2 = 2 * h * modes;
        be.write(wBuf, 0, w, 0, n2);
        be.write(dBuf, 0, dParam.value(), 0, h);
        for (int d = 0; d < dirs; d++) {
            be.write(vBuf[d], 0, v, d * 4 * n2, 4 * n2);
            be.cauchy(shape, wBuf, vBuf[d], d == 0 ? dBuf : null, kHat);
            be.fftRealInverse(maxLength, h, kHat, d == 0 ? kf : kb, length, length);
        }
    }

    /**
     * Queues, per direction, the kernel gradient's spectrum and the Cauchy backward, and deferred reads of
     * their results (the gradient buffers are shared: each read takes them before the next direction's work).
     */
    @Override
    protected void enqueueKernelBackward(int length) {
        int n2 = 2 * h * modes;
        for (int d = 0; d < dirs; d++) {
            be.fftRealForward(maxLength, h, d == 0 ? dkf : dkb, length, length, gSpec);
            be.cauchyBackward(shape, wBuf, vBuf[d], gSpec, gvBuf, gwBuf, gammaBuf, lag0GradBuf);
            reads[3 * d] = be.readLater(gvBuf, 0, hostGv, d * 4 * n2, 4 * n2);
            reads[3 * d + 1] = be.readLater(gwBuf, 0, hostGw, d * n2, n2);
            reads[3 * d + 2] = be.readLater(gammaBuf, 0, hostGamma, d * h, h);
            if (d == 0) {
                reads[3 * dirs] = be.readLater(lag0GradBuf, 0, hostLag0, 0, h);
            }
        }
    }

    /** Awaits the reads and runs the chain rule (§10.7) into the parameters' gradients. */
    @Override
    protected void collectKernelBackward() {
        for (int i = 0; i < reads.length; i++) {
            reads[i].await();
            reads[i] = null;
        }
        int n2 = 2 * h * modes;
        for (int c = 0; c < h; c++) {
            dParam.grad()[c] += hostLag0[c];
        }
        for (int d = 0; d < dirs; d++) {
            int gvAt = d * 4 * n2;
            for (int c = 0; c < h; c++) {
                double dt = delta(c);
                for (int m = 0; m < modes; m++) {
                    int i = 2 * (c * modes + m);
                    int o = d * 4 * n2 + i;
                    // the Nyquist bin Re sum v_0 adds its real gradient gamma to every g_v0
                    Complex g0 = Complex.of(hostGv, gvAt + i).plus(hostGamma[d * h + c]);
                    Complex g1 = Complex.of(hostGv, gvAt + i + n2);
                    Complex g2 = Complex.of(hostGv, gvAt + i + 2 * n2);
                    Complex g3 = Complex.of(hostGv, gvAt + i + 3 * n2);
                    Complex gw = Complex.of(hostGw, d * n2 + i);
                    Complex bm = b(c, m);
                    Complex pv = pm(c, m);
                    Complex ct = c(d, c, m);
                    Complex lam = lambda(c, m);
                    Complex gC = bm.conj().times(g0).plus(pv.conj().times(g1)).times(dt);
                    Complex gB = ct.conj().times(g0).plus(pv.times(g2)).times(dt);
                    Complex gP = ct.conj().times(g1).plus(bm.times(g2.conj())).plus(pv.times(2 * g3.re())).times(dt);
                    double gDelta = (g0.conj().times(Complex.of(v, o)).re() + g1.conj().times(Complex.of(v, o + n2)).re()
                        + g2.conj().times(Complex.of(v, o + 2 * n2)).re() + g3.conj().times(Complex.of(v, o + 3 * n2)).re()) / dt
                        + gw.conj().times(lam).re();
                    gC.addInto(cParam.grad(), d * n2 + i);
                    gB.addInto(bParam.grad(), i);
                    gP.addInto(pParam.grad(), i);
                    accumulateLambdaAndDelta(c, m, gw.times(dt), gDelta);
                }
            }
        }
    }

    /**
     * Recurrent form of a causal layer (linear mode, O(N) per step, math reference §10.6), in float64. The
     * un-truncated C comes from the transposed solve {@code (I − Ā^L)ᵀ Cᵀ = C̃ᵀ} over the full N-dimensional
     * state, O(N³ log L) per channel once.
     */
    @Override
    public Recurrence recurrent(int batch) {
        if (bidirectional) {
            throw new IllegalStateException("a bidirectional S4 layer has no recurrent form");
        }
        open();
        checkParameters();
        int n2 = 2 * h * modes;
        double[] dTilde = new double[n2];
        double[] e = new double[n2];
        double[] pp = new double[n2];
        double[] rho = new double[n2];
        double[] bb = new double[n2];
        double[] cc = new double[n2];
        for (int c = 0; c < h; c++) {
            double dt = delta(c);
            Complex norm = Complex.ONE;
            for (int m = 0; m < modes; m++) {
                Complex lam = lambda(c, m);
                Complex dtl = Complex.ONE.div(new Complex(2 / dt, 0).minus(lam));
                Complex pv = pm(c, m);
                norm = norm.plus(pv.conj().times(dtl).times(pv).re() * 2);
            }
            for (int m = 0; m < modes; m++) {
                int i = 2 * (c * modes + m);
                Complex lam = lambda(c, m);
                Complex dtl = Complex.ONE.div(new Complex(2 / dt, 0).minus(lam));
                dtl.into(dTilde, i);
                new Complex(2 / dt, 0).plus(lam).into(e, i);
                pm(c, m).into(pp, i);
                pm(c, m).conj().times(dtl).div(norm).into(rho, i);
                b(c, m).into(bb, i);
            }
            untruncate(c, cc);
        }
        return new LowRankRecurrence(batch, h, modes, dTilde, e, pp, rho, bb, cc, dParam.value().clone());
    }

    /** C (half, M modes) of channel c from C̃ by the transposed solve over the full state; into cc. */
    private void untruncate(int c, double[] cc) {
        int n = 2 * modes;
        double dt = delta(c);
        // full A = diag(Λ, conj Λ) − p p*, p = (P, conj P)
        ZMatrixRMaj a = new ZMatrixRMaj(n, n);
        Complex[] lamFull = new Complex[n];
        Complex[] pFull = new Complex[n];
        for (int m = 0; m < modes; m++) {
            lamFull[m] = lambda(c, m);
            lamFull[m + modes] = lamFull[m].conj();
            pFull[m] = pm(c, m);
            pFull[m + modes] = pFull[m].conj();
        }
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < n; k++) {
                Complex x = pFull[j].times(pFull[k].conj()).times(-1);
                if (j == k) {
                    x = x.plus(lamFull[j]);
                }
                a.set(j, k, x.re(), x.im());
            }
        }
        // Abar = (I − Δ/2 A)^-1 (I + Δ/2 A)
        ZMatrixRMaj minus = CommonOps_ZDRM.identity(n);
        ZMatrixRMaj plus = CommonOps_ZDRM.identity(n);
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < n; k++) {
                double re = a.getReal(j, k) * dt / 2;
                double im = a.getImag(j, k) * dt / 2;
                minus.set(j, k, minus.getReal(j, k) - re, minus.getImag(j, k) - im);
                plus.set(j, k, plus.getReal(j, k) + re, plus.getImag(j, k) + im);
            }
        }
        ZMatrixRMaj abar = new ZMatrixRMaj(n, n);
        // EJML's LU solve reports few singular systems: a singular one usually shows as non-finite entries
        if (!CommonOps_ZDRM.solve(minus, plus, abar) || !finite(abar)) {
            throw NumericalFailureException.of("I - dt/2 A is singular for channel " + c, "I - dt/2 A", c);
        }
        // Abar^L by squaring
        ZMatrixRMaj pow = CommonOps_ZDRM.identity(n);
        ZMatrixRMaj base = abar.copy();
        ZMatrixRMaj tmp = new ZMatrixRMaj(n, n);
        for (int e = maxLength; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                CommonOps_ZDRM.mult(pow, base, tmp);
                pow.setTo(tmp);
            }
            if (e > 1) {
                CommonOps_ZDRM.mult(base, base, tmp);
                base.setTo(tmp);
            }
        }
        // (I − Abar^L)^T C^T = Ct^T
        ZMatrixRMaj mt = new ZMatrixRMaj(n, n);
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < n; k++) {
                double re = (j == k ? 1 : 0) - pow.getReal(k, j);
                mt.set(j, k, re, -pow.getImag(k, j));
            }
        }
        ZMatrixRMaj rhs = new ZMatrixRMaj(n, 1);
        for (int m = 0; m < modes; m++) {
            Complex ct = c(0, c, m);
            rhs.set(m, 0, ct.re(), ct.im());
            rhs.set(m + modes, 0, ct.re(), -ct.im());
        }
        ZMatrixRMaj sol = new ZMatrixRMaj(n, 1);
        if (!CommonOps_ZDRM.solve(mt, rhs, sol) || !finite(sol)) {
            throw NumericalFailureException.of("I - Abar^L is singular for channel " + c + " (a pole on the unit circle)",
                "I - Abar^L", c);
        }
        for (int m = 0; m < modes; m++) {
            int i = 2 * (c * modes + m);
            cc[i] = sol.getReal(m, 0);
            cc[i + 1] = sol.getImag(m, 0);
        }
    }

    private static boolean finite(ZMatrixRMaj m) {
        for (double v : m.data) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void closeKernelResources() {
        wBuf.close();
        for (DeviceBuffer b : vBuf) {
            b.close();
        }
        dBuf.close();
        kHat.close();
        gSpec.close();
        gvBuf.close();
        gwBuf.close();
        gammaBuf.close();
        lag0GradBuf.close();
    }
}
