package org.rtf4j.baselines;

import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.kernels.backend.PendingRead;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.Recurrence;

/**
 * S4D (Gu et al. 2022): diagonal SSM with Vandermonde kernel
 * {@code K_l = 2·Re Σ_m Ĉ_m Λ̄_m^l}, ZOH ({@code Λ̄ = e^{ΔΛ}}, {@code Ĉ = C·B·(e^{ΔΛ} − 1)/Λ}) or bilinear
 * ({@code Λ̄ = (1 + ΔΛ/2)/(1 − ΔΛ/2)}, {@code Ĉ = C·B·Δ/(1 − ΔΛ/2)}), plus the skip D. The kernel is exact
 * for every length: no C̃ correction. The O(H·N·L) kernel runs on the backend
 * ({@link org.rtf4j.kernels.backend.KernelId#VANDERMONDE}); the O(H·N) parameter maps and the closed-form
 * chain rule (math reference §9.5) run on the host.
 */
public final class S4dLayer extends ModalLayer {
    private final DeviceBuffer logZBuf;
    private final DeviceBuffer[] chatBuf;
    private final DeviceBuffer dBuf;
    private final DeviceBuffer sumsBuf;
    private final DeviceBuffer weightedBuf;
    private final DeviceBuffer lag0GradBuf;
    private final double[] logZ;
    private final double[] hostE;
    private final double[] chat;
    /** The Vandermonde backward's sums read back, 2·H·M per direction, and lag0 (H). */
    private final double[] hostSums;
    private final double[] hostWeighted;
    private final double[] hostLag0;
    /** Deferred reads of the backward pass: sums, weighted sums per direction, then lag0. */
    private final PendingRead[] reads;
    private ModalShape shape;

    public S4dLayer(SsmConfig config, Backend backend) {
        super(affordable(requireKind(config), LayerKind.S4D, hostBytes(config), bufferBytes(config), backend), backend,
            false);
        int n2 = 2 * h * modes;
        logZ = new double[n2];
        hostE = new double[n2];
        chat = new double[dirs * n2];
        hostSums = new double[dirs * n2];
        hostWeighted = new double[dirs * n2];
        hostLag0 = new double[h];
        reads = new PendingRead[2 * dirs + 1];
        logZBuf = be.allocate(p, n2);
        chatBuf = new DeviceBuffer[dirs];
        for (int d = 0; d < dirs; d++) {
            chatBuf[d] = be.allocate(p, n2);
        }
        dBuf = be.allocate(p, h);
        sumsBuf = be.allocate(p, n2);
        weightedBuf = be.allocate(p, n2);
        lag0GradBuf = be.allocate(p, h);
    }

    /**
     * Heap bytes a layer of this configuration allocates when built: {@link ModalLayer#parameterBytes} and the
     * host arrays of the parameter maps and of the sums read back ((2 + 3D)·2·H·M + H float64 values, D the
     * directions). Saturates.
     */
    public static long hostBytes(SsmConfig c) {
        long n2 = MemoryCheck.times(2, c.channels(), c.modes());
        return MemoryCheck.plus(parameterBytes(c),
            MemoryCheck.times(8, MemoryCheck.plus(MemoryCheck.times(2 + 3 * c.directions(), n2), c.channels())));
    }

    /**
     * Bytes of the backend buffers the constructor allocates ((3 + D)·2·H·M + 2H values in the layer's
     * precision); the convolution's per-shape buffers come on top. Saturates.
     */
    public static long bufferBytes(SsmConfig c) {
        long n2 = MemoryCheck.times(2, c.channels(), c.modes());
        return MemoryCheck.times(c.precision().bytes(),
            MemoryCheck.plus(MemoryCheck.times(3 + c.directions(), n2), MemoryCheck.times(2, c.channels())));
    }

    private static SsmConfig requireKind(SsmConfig c) {
        if (c == null || c.kind() != LayerKind.S4D) {
            throw new IllegalArgumentException("S4dLayer needs an S4D configuration, got " + (c == null ? null : c.kind()));
        }
        return c;
    }

    @Override
    public LayerKind kind() {
        return LayerKind.S4D;
    }

    /**
     * log Λ̄ and E = Ĉ/(C·B) of channel c, mode m under the configured discretisation, written to
     * {@code z[i..i+1]} and {@code e[i..i+1]}. Written, not returned: values that stay in one branch are
     * scalar-replaced by the JIT, so the per-pass loop over H·M modes allocates nothing (a returned pair
     * merged from the two branches was 32 bytes per mode and pass).
     */
    private void discretise(int c, int m, double[] z, double[] e, int i) {
        double dt = delta(c);
        Complex lam = lambda(c, m);
        Complex q = lam.times(dt);
        if (cfg.disc() == SsmConfig.Discretization.ZOH) {
            q.into(z, i);
            q.exp().plus(-1).div(lam).into(e, i);
        } else {
            Complex den = Complex.ONE.minus(q.times(0.5));
            q.times(0.5).plus(1).div(den).log().into(z, i);
            new Complex(dt, 0).div(den).into(e, i);
        }
    }

    /** The Vandermonde shape at {@code length}, kept while the length stays the same. */
    private ModalShape modalShape(int length) {
        if (shape == null || shape.length() != length) {
            shape = new ModalShape(h, modes, length);
        }
        return shape;
    }

    private void discretiseAll() {
        for (int c = 0; c < h; c++) {
            for (int m = 0; m < modes; m++) {
                int i = 2 * (c * modes + m);
                discretise(c, m, logZ, hostE, i);
                Complex e = Complex.of(hostE, i);
                for (int d = 0; d < dirs; d++) {
                    c(d, c, m).times(b(c, m)).times(e).into(chat, d * 2 * h * modes + i);
                }
            }
        }
    }

    @Override
    protected void generateKernels(int length) {
        discretiseAll();
        int n2 = 2 * h * modes;
        be.write(logZBuf, 0, logZ, 0, n2);
        be.write(dBuf, 0, dParam.value(), 0, h);
        ModalShape s = modalShape(length);
        for (int d = 0; d < dirs; d++) {
            be.write(chatBuf[d], 0, chat, d * n2, n2);
            be.vandermonde(s, logZBuf, chatBuf[d], d == 0 ? dBuf : null, d == 0 ? kf : kb);
        }
    }

    /**
     * Queues, per direction, the Vandermonde backward and deferred reads of its sums (the buffers are shared:
     * each read takes them before the next direction's work).
     */
    @Override
    protected void enqueueKernelBackward(int length) {
        ModalShape s = modalShape(length);
        int n2 = 2 * h * modes;
        for (int d = 0; d < dirs; d++) {
            be.vandermondeBackward(s, logZBuf, d == 0 ? dkf : dkb, sumsBuf, weightedBuf, lag0GradBuf);
            reads[2 * d] = be.readLater(sumsBuf, 0, hostSums, d * n2, n2);
            reads[2 * d + 1] = be.readLater(weightedBuf, 0, hostWeighted, d * n2, n2);
            if (d == 0) {
                reads[2 * dirs] = be.readLater(lag0GradBuf, 0, hostLag0, 0, h);
            }
        }
    }

    /** Awaits the reads and runs the closed-form chain rule (§9.5) into the parameters' gradients. */
    @Override
    protected void collectKernelBackward() {
        for (int i = 0; i < reads.length; i++) {
            reads[i].await();
            reads[i] = null;
        }
        int n2 = 2 * h * modes;
        boolean zoh = cfg.disc() == SsmConfig.Discretization.ZOH;
        for (int c = 0; c < h; c++) {
            dParam.grad()[c] += hostLag0[c];
        }
        for (int d = 0; d < dirs; d++) {
            for (int c = 0; c < h; c++) {
                double dt = delta(c);
                for (int m = 0; m < modes; m++) {
                    int i = 2 * (c * modes + m);
                    Complex sm = Complex.of(hostSums, d * n2 + i);
                    Complex s1 = Complex.of(hostWeighted, d * n2 + i);
                    Complex lam = lambda(c, m);
                    Complex q = lam.times(dt);
                    Complex e;
                    Complex dEdL;
                    Complex dEdD;
                    Complex dxdL;
                    Complex dxdD;
                    if (zoh) {
                        Complex eq = q.exp();
                        e = eq.plus(-1).div(lam);
                        dEdL = lam.times(dt).times(eq).minus(eq).plus(1).div(lam.square());
                        dEdD = eq;
                        dxdL = new Complex(dt, 0);
                        dxdD = lam;
                    } else {
                        Complex den = Complex.ONE.minus(q.times(0.5));
                        e = new Complex(dt, 0).div(den);
                        dEdL = new Complex(dt * dt * 0.5, 0).div(den.square());
                        dEdD = Complex.ONE.div(den.square());
                        Complex f = Complex.ONE.minus(q.square().times(0.25));
                        dxdL = new Complex(dt, 0).div(f);
                        dxdD = lam.div(f);
                    }
                    Complex cd = c(d, c, m);
                    Complex bm = b(c, m);
                    Complex cb = cd.times(bm);
                    Complex ch = cb.times(e);
                    Complex dFdC = bm.times(e).times(sm);
                    Complex dFdB = cd.times(e).times(sm);
                    Complex dFdL = cb.times(dEdL).times(sm).plus(ch.times(s1).times(dxdL));
                    Complex dFdD = cb.times(dEdD).times(sm).plus(ch.times(s1).times(dxdD));
                    // L = 2 Re F: gradient pairs (2 Re, -2 Im) of dF/dX
                    int ci = d * n2 + i;
                    cParam.grad()[ci] += 2 * dFdC.re();
                    cParam.grad()[ci + 1] += -2 * dFdC.im();
                    bParam.grad()[i] += 2 * dFdB.re();
                    bParam.grad()[i + 1] += -2 * dFdB.im();
                    accumulateLambdaAndDelta(c, m, dFdL.conj().times(2), 2 * dFdD.re());
                }
            }
        }
    }

    /**
     * Recurrent form of a causal layer in float64: {@code x_t = Λ̄ x_{t−1} + B̄ u_t},
     * {@code y_t = 2·Re(C·x_t) + D u_t} (the state is updated before the output).
     */
    @Override
    public Recurrence recurrent(int batch) {
        if (bidirectional) {
            throw new IllegalStateException("a bidirectional S4D layer has no recurrent form");
        }
        open();
        checkParameters();
        double[] zbar = new double[2 * h * modes];
        double[] e = new double[2 * h * modes];
        double[] bbar = new double[2 * h * modes];
        double[] cc = new double[2 * h * modes];
        for (int c = 0; c < h; c++) {
            for (int m = 0; m < modes; m++) {
                int i = 2 * (c * modes + m);
                discretise(c, m, zbar, e, i);
                Complex.of(zbar, i).exp().into(zbar, i);
                b(c, m).times(Complex.of(e, i)).into(bbar, i);
                c(0, c, m).into(cc, i);
            }
        }
        return new DiagonalRecurrence(batch, h, modes, zbar, bbar, cc, dParam.value().clone());
    }

    @Override
    protected void closeKernelResources() {
        logZBuf.close();
        for (DeviceBuffer b : chatBuf) {
            b.close();
        }
        dBuf.close();
        sumsBuf.close();
        weightedBuf.close();
        lag0GradBuf.close();
    }
}
