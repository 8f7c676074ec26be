package org.rtf4j.rtf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.kernels.backend.PendingRead;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.recurrent.RationalLags;
import org.rtf4j.kernels.spectral.RationalShape;
import org.rtf4j.layer.ConvolutionalLayer;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.Parameter;
import org.rtf4j.layer.Recurrence;
import org.rtf4j.layer.NumericalFailureException;

/**
 * The RTF layer (Parnichkun et al. 2024): channel c is the transfer function
 * {@code h0_c + b_c(z)/a_{g(c)}(z)} of order N, {@code g(c) = ⌊c·numA/H⌋}. Its kernel is
 * {@code irfft_P(B/A + h0)[0:ℓ]} with A, B from one batched real FFT of the padded coefficients, so time
 * and memory do not grow with N; the input convolution is causal, or two-sided when bidirectional
 * ({@code y_t = Σ_{j≤t} kf_{t−j} u_j + Σ_{j>t} kb_{j−t−1} u_j}). h0 lives inside {@code k_0}; there is no
 * separate skip term.
 *
 * <h2>Parameters (the reference layout of ruke1ire/RTF)</h2>
 * <ul>
 *   <li>{@code ab}, shape ((1+bi)·(numA + H), N): rows {@code d·numA + g} are the denominators (raw θ under
 *       the l1-Montel constraint) of direction d (0 forward, 1 backward); rows
 *       {@code (1+bi)·numA + d·H + c} are the numerators;</li>
 *   <li>{@code h_0}, shape ((1+bi)·H): forward channels, then backward channels;</li>
 *   <li>{@code scalar}, shape (numA), l1-Montel only: slack s_g, shared by both directions of a
 *       bidirectional layer (the reference has numA scalars for 2·numA denominators).</li>
 * </ul>
 *
 * <p><b>Denominators near the unit circle.</b> With each denominator the layer passes its margin
 * {@code 1 − Σ|a_n|} to the spectrum kernel: under l1-Montel exactly {@code (|s| + MONTEL_EPS)/Z}, as the
 * normaliser defines it, otherwise computed in float64. For a margin ≥ 0 the kernel evaluates A at its small
 * bins as the margin plus non-negative terms ({@link Backend#rationalSpectrum}), so a float32 layer resolves
 * the near-integrator denominators the constraint allows (margins down to about 1e-8, the float32 default
 * {@code minDenominator} under the constraint) instead of refusing them as noise.
 *
 * <p>All kernels run on the {@link Backend} given to the constructor; the layer keeps its intermediates in
 * backend buffers and moves only inputs, outputs, parameters, gradients and the 2·numA denominator
 * magnitudes (per direction) across the seam. A forward or backward pass blocks on a device backend once:
 * the magnitudes and the parameter gradients are read with deferred reads that the pass's final read (y,
 * du) completes, so the denominators are checked after the output was read (see
 * {@link ConvolutionalLayer#forward(double[], int, int, double[])}). Not thread-safe.
 */
public final class RtfLayer extends ConvolutionalLayer {
    /** Constant of the l1-Montel normaliser. */
    public static final double MONTEL_EPS = 1e-6;

    private final RtfConfig cfg;
    private final RationalShape shape;
    private final int dirs;
    private final int order;
    private final int numA;
    private final Parameter ab;
    private final Parameter h0;
    private final Parameter scalar;
    private final List<Parameter> params;

    private final DeviceBuffer[] bufA;
    private final DeviceBuffer[] bufMargin;
    private final DeviceBuffer[] bufB;
    private final DeviceBuffer[] bufH0;
    private final DeviceBuffer[] specA;
    private final DeviceBuffer[] specB;
    private final DeviceBuffer[] specK;
    private final DeviceBuffer[] minMag;
    private final DeviceBuffer[] gradA;
    private final DeviceBuffer[] gradB;
    private final DeviceBuffer[] gradH0;
    private final DeviceBuffer work;
    private final double[] aEff;
    /** The denominators' margins 1 − Σ|a_n|, one per row of {@link #aEff}: (|s| + eps)/Z under l1-Montel. */
    private final double[] margins;
    /** Denominator magnitudes, 2·numA per direction, read during the forward pass. */
    private final double[] hostMag;
    /** The denominators' gradients (a = θ/Z) in the rows of {@code ab}, read during a constrained backward pass. */
    private final double[] hostDa;
    /** Deferred reads: the magnitudes of each direction; the gradients of each direction (3 each). */
    private final PendingRead[] magReads;
    private final PendingRead[] gradReads;

    /** A layer with parameters initialised as the configuration says, on the given backend. */
    public RtfLayer(RtfConfig config, Backend backend) {
        super(backend, affordable(config, backend).precision(), config.channels(), config.maxLength(),
            config.bidirectional());
        this.cfg = config;
        this.shape = config.rationalShape();
        this.dirs = config.directions();
        this.order = config.order();
        this.numA = config.numA();
        this.ab = new Parameter("ab", new int[] {dirs * (numA + h), order}, true);
        this.h0 = new Parameter("h_0", new int[] {dirs * h}, true);
        this.scalar = config.constraint() == RtfConfig.Constraint.L1_MONTEL
            ? new Parameter("scalar", new int[] {numA}, true) : null;
        List<Parameter> ps = new ArrayList<>();
        ps.add(ab);
        ps.add(h0);
        if (scalar != null) {
            ps.add(scalar);
        }
        this.params = Collections.unmodifiableList(ps);
        initialise(new SplittableRandom(config.seed()));

        int bins = shape.bins();
        bufA = new DeviceBuffer[dirs];
        bufMargin = new DeviceBuffer[dirs];
        bufB = new DeviceBuffer[dirs];
        bufH0 = new DeviceBuffer[dirs];
        specA = new DeviceBuffer[dirs];
        specB = new DeviceBuffer[dirs];
        specK = new DeviceBuffer[dirs];
        minMag = new DeviceBuffer[dirs];
        gradA = new DeviceBuffer[dirs];
        gradB = new DeviceBuffer[dirs];
        gradH0 = new DeviceBuffer[dirs];
        for (int d = 0; d < dirs; d++) {
            bufA[d] = be.allocate(p, numA * order);
            bufMargin[d] = be.allocate(p, numA);
            bufB[d] = be.allocate(p, h * order);
            bufH0[d] = be.allocate(p, h);
            specA[d] = be.allocate(p, 2 * bins * numA);
            specB[d] = be.allocate(p, 2 * bins * h);
            specK[d] = be.allocate(p, 2 * bins * h);
            minMag[d] = be.allocate(p, 2 * numA);
            gradA[d] = be.allocate(p, numA * order);
            gradB[d] = be.allocate(p, h * order);
            gradH0[d] = be.allocate(p, h);
        }
        work = be.allocate(p, shape.backwardWorkLength());
        aEff = new double[dirs * numA * order];
        margins = new double[dirs * numA];
        hostMag = new double[dirs * 2 * numA];
        hostDa = new double[scalar != null ? dirs * numA * order : 0];
        magReads = new PendingRead[dirs];
        gradReads = new PendingRead[3 * dirs];
    }

    /**
     * Heap bytes of a layer's host arrays: {@code ab}, {@code h_0} (and {@code scalar}) with their gradients
     * (float64, 16 bytes a value), the effective denominators (numA·N per direction, and numA·N per direction
     * more under the constraint for their gradients), the magnitudes (2·numA per direction) and the margins
     * (numA per direction), as the constructor allocates them. Saturates instead of overflowing.
     */
    public static long hostBytes(RtfConfig c) {
        long dirs = c.directions();
        long h = c.channels();
        long n = c.order();
        long numA = c.numA();
        long params = MemoryCheck.plus(MemoryCheck.times(dirs, numA + h, n), MemoryCheck.times(dirs, h), numA);
        long host = MemoryCheck.plus(MemoryCheck.times(2 * dirs, numA, n), MemoryCheck.times(3 * dirs, numA));
        return MemoryCheck.plus(MemoryCheck.times(16, params), MemoryCheck.times(8, host));
    }

    /**
     * Bytes of the backend buffers the constructor allocates: per direction the denominators and numerators
     * with their gradients (2·(numA + H)·N), h_0 and its gradient (2H), the spectra of A, B and the kernel
     * (2·(P/2 + 1)·(numA + 2H)), the magnitudes (2·numA) and the margins (numA); once the backward work
     * spectrum 2·(P/2 + 1)·H;
     * in the layer's precision. The convolution's per-shape buffers come on top
     * ({@link ConvolutionalLayer#convolutionBytes}). Saturates instead of overflowing.
     */
    public static long bufferBytes(RtfConfig c) {
        long h = c.channels();
        long n = c.order();
        long numA = c.numA();
        long bins = c.rationalShape().bins();
        long perDirection = MemoryCheck.plus(MemoryCheck.times(2, numA + h, n), MemoryCheck.times(2, h),
            MemoryCheck.times(2, bins, numA + 2 * h), MemoryCheck.times(3, numA));
        long elements = MemoryCheck.plus(MemoryCheck.times(c.directions(), perDirection), MemoryCheck.times(2, bins, h));
        return MemoryCheck.times(elements, c.precision().bytes());
    }

    /** Refuses, before anything is allocated, a configuration whose arrays cannot exist or do not fit the heap. */
    private static RtfConfig affordable(RtfConfig c, Backend backend) {
        if (c == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        // the spectra (2·(P/2 + 1)·H) were checked by the config's RationalShape
        String sizes = "channels " + c.channels() + " × state " + c.order() + " × length " + c.maxLength();
        MemoryCheck.arrayLength("rtf layer parameter ab of " + sizes,
            MemoryCheck.times(c.directions(), (long) c.numA() + c.channels(), c.order()));
        long bytes = hostBytes(c);
        if (backend.buffersOnHeap()) {
            bytes = MemoryCheck.plus(bytes, bufferBytes(c));
        }
        MemoryCheck.require("rtf layer: " + sizes, bytes);
        return c;
    }

    private void initialise(SplittableRandom r) {
        double[] v = ab.value();
        switch (cfg.init()) {
            case XAVIER: {
                double lim = 1.0 / Math.sqrt(order);
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.nextDouble(-lim, lim);
                }
                break;
            }
            case MONTEL: {
                double lim = 1.0 / order;
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.nextDouble(-lim, lim);
                }
                break;
            }
            default:
                break;
        }
        double[] hv = h0.value();
        for (int i = 0; i < hv.length; i++) {
            hv[i] = cfg.h0Init() == RtfConfig.H0Init.ONE ? 1.0 : r.nextGaussian();
        }
        if (scalar != null) {
            double[] s = scalar.value();
            for (int i = 0; i < s.length; i++) {
                s[i] = r.nextDouble();
            }
        }
    }

    /** The configuration. */
    public RtfConfig config() {
        return cfg;
    }

    /** The {@code ab} parameter (reference layout). */
    public Parameter ab() {
        return ab;
    }

    /** The {@code h_0} parameter. */
    public Parameter h0() {
        return h0;
    }

    /** The Montel slack {@code scalar}, or null without the constraint. */
    public Parameter scalar() {
        return scalar;
    }

    @Override
    public LayerKind kind() {
        return LayerKind.RTF;
    }

    @Override
    public int stateSize() {
        return order;
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    /**
     * Effective denominators, shape ((1+bi)·numA, N): the raw rows of {@code ab}, or θ/Z under l1-Montel.
     */
    public double[] effectiveDenominators() {
        open();
        checkParameters();
        computeEffective();
        return aEff.clone();
    }

    // ---------------------------------------------------------------------------------------- forward

    /**
     * Queues, per direction, the parameters' upload, the spectrum kernel, a deferred read of the denominator
     * magnitudes and the kernel's inverse FFT; {@link #checkKernels} checks the magnitudes.
     */
    @Override
    protected void generateKernels(int length) {
        computeEffective();
        for (int d = 0; d < dirs; d++) {
            // without a constraint the effective denominators are the raw rows, which lead the (a; b) block
            be.write(bufA[d], 0, scalar == null ? ab.value() : aEff, d * numA * order, numA * order);
            be.write(bufMargin[d], 0, margins, d * numA, numA);
            be.write(bufB[d], 0, ab.value(), (dirs * numA + d * h) * order, h * order);
            be.write(bufH0[d], 0, h0.value(), d * h, h);
            be.rationalSpectrum(shape, bufA[d], bufMargin[d], bufB[d], bufH0[d], specA[d], specB[d], specK[d], minMag[d]);
            magReads[d] = be.readLater(minMag[d], 0, hostMag, d * 2 * numA, 2 * numA);
            be.fftRealInverse(shape.fftLength(), h, specK[d], d == 0 ? kf : kb, length, length);
        }
    }

    /** Awaits the magnitudes of every direction and checks the denominators. */
    @Override
    protected void checkKernels() {
        for (int d = 0; d < dirs; d++) {
            magReads[d].await();
            magReads[d] = null;
        }
        for (int d = 0; d < dirs; d++) {
            checkDenominators(d, hostMag, d * 2 * numA);
        }
    }

    /**
     * Stops at a denominator whose smallest relative magnitude {@code mags[at + 2g]} (at bin
     * {@code mags[at + 2g+1]}) is below the threshold or not a number: a numerical failure, since the
     * parameters themselves were checked finite.
     */
    private void checkDenominators(int d, double[] mags, int at) {
        for (int g = 0; g < numA; g++) {
            double m = mags[at + 2 * g];
            if (!(m >= cfg.minDenominator())) {
                int per = h / numA;
                int bin = (int) mags[at + 2 * g + 1];
                String hint = scalar == null ? "a pole on or near the unit circle; raise or lower RtfConfig.minDenominator,"
                    + " or use the l1-Montel constraint"
                    : String.format("the l1-Montel margin (|s|+1e-6)/Z is %.3e; lower RtfConfig.minDenominator",
                        margins[d * numA + g]);
                throw NumericalFailureException.denominator(String.format(
                    "denominator %s row %d (channels %d..%d): relative magnitude |a(z_k)|/(1+sum|a_n|) = %.3e at bin k=%d"
                        + " of P=%d is below the threshold minDenominator=%.1e (%s)",
                    d == 0 ? "forward" : "backward", g, g * per, (g + 1) * per - 1, m, bin,
                    shape.fftLength(), cfg.minDenominator(), hint), d, g, bin, m);
            }
        }
    }

    /**
     * The effective denominators and their margins {@code 1 − Σ|a_n|}: without a constraint a = θ and the
     * margin is computed in float64 (it may be negative); under l1-Montel a = θ/Z and the margin is
     * {@code (|s| + eps)/Z} exactly as the normaliser defines it, rather than 1 minus a sum of rounded
     * values, so the spectrum kernel can evaluate A near its smallest bins without cancellation
     * ({@link Backend#rationalSpectrum}).
     */
    private void computeEffective() {
        double[] v = ab.value();
        for (int d = 0; d < dirs; d++) {
            for (int g = 0; g < numA; g++) {
                int row = (d * numA + g) * order;
                if (scalar != null) {
                    double s = scalar.value()[g];
                    double z = montelNorm(v, row, s);
                    for (int j = 0; j < order; j++) {
                        aEff[row + j] = v[row + j] / z;
                    }
                    margins[d * numA + g] = (Math.abs(s) + MONTEL_EPS) / z;
                } else {
                    double sum = 0;
                    for (int j = 0; j < order; j++) {
                        aEff[row + j] = v[row + j];
                        sum += Math.abs(v[row + j]);
                    }
                    margins[d * numA + g] = 1.0 - sum;
                }
            }
        }
    }

    private double montelNorm(double[] theta, int row, double s) {
        double z = Math.abs(s) + MONTEL_EPS;
        for (int j = 0; j < order; j++) {
            z += Math.abs(theta[row + j]);
        }
        return z;
    }

    // --------------------------------------------------------------------------------------- backward

    /**
     * Queues, per direction, the spectrum's backward and deferred reads of its gradients: added into the
     * gradients of {@code ab} and {@code h_0} at once where a = θ, read into {@link #hostDa} under the
     * constraint (for {@link #collectKernelBackward}).
     */
    @Override
    protected void enqueueKernelBackward(int length) {
        double[] g = ab.grad();
        for (int d = 0; d < dirs; d++) {
            be.rationalSpectrumBackward(shape, d == 0 ? dkf : dkb, length, specA[d], specB[d], gradA[d],
                gradB[d], gradH0[d], work);
            // a = θ: the denominators' gradient rows are one contiguous block of the (a; b) gradient
            gradReads[3 * d] = scalar == null ? be.readAddLater(gradA[d], 0, g, d * numA * order, numA * order)
                : be.readLater(gradA[d], 0, hostDa, d * numA * order, numA * order);
            gradReads[3 * d + 1] = be.readAddLater(gradB[d], 0, g, (dirs * numA + d * h) * order, h * order);
            gradReads[3 * d + 2] = be.readAddLater(gradH0[d], 0, h0.grad(), d * h, h);
        }
    }

    /** Awaits the gradients' reads; under the constraint, the chain rule of a = θ/Z into θ and the slack. */
    @Override
    protected void collectKernelBackward() {
        for (int i = 0; i < gradReads.length; i++) {
            gradReads[i].await();
            gradReads[i] = null;
        }
        if (scalar == null) {
            return;
        }
        // a = θ/Z, Z = ‖θ‖₁ + |s| + eps
        double[] g = ab.grad();
        double[] th = ab.value();
        for (int d = 0; d < dirs; d++) {
            for (int gi = 0; gi < numA; gi++) {
                int row = (d * numA + gi) * order;
                double s = scalar.value()[gi];
                double z = montelNorm(th, row, s);
                double dot = 0;
                for (int j = 0; j < order; j++) {
                    dot += hostDa[row + j] * th[row + j];
                }
                double c = dot / (z * z);
                for (int j = 0; j < order; j++) {
                    g[row + j] += hostDa[row + j] / z - c * Math.signum(th[row + j]);
                }
                scalar.grad()[gi] += -c * Math.signum(s);
            }
        }
    }

    // -------------------------------------------------------------------------------------- recurrent

    /**
     * The exact recurrent form of a causal layer: companion realisation with numerator
     * {@code c_n = Σ_{j<n} â_j k_{n−j}} and feed-through {@code k_0}, computed in float64 from the
     * conv-mode kernel (by the host routine {@link RationalLags}, whatever the layer's backend), so steps reproduce the convolution with kernel length L exactly (up to rounding)
     * for inputs of up to L steps.
     */
    @Override
    public Recurrence recurrent(int batch) {
        if (cfg.bidirectional()) {
            throw new IllegalStateException("a bidirectional RTF layer has no recurrent form");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be ≥ 1, got " + batch);
        }
        open();
        checkParameters();
        computeEffective();
        int lags = order + 1;
        // The recurrence is a float64 host computation whatever the layer's backend and precision: its
        // kernel lags come from the host routine, the JVM spectrum kernel in float64 on this thread.
        RationalLags.Result host = RationalLags.compute(shape, aEff, 0, margins, ab.value(), numA * order, h0.value(), lags);
        checkDenominators(0, host.magnitudes(), 0);
        double[] k = host.lags();
        double[] cRev = new double[h * order];
        double[] aRev = new double[h * order];
        double[] d = new double[h];
        for (int c = 0; c < h; c++) {
            int g = shape.denominatorOf(c);
            for (int n = 1; n <= order; n++) {
                // c_n = sum_{j=0}^{n-1} ahat_j k_{n-j}, ahat_0 = 1
                double acc = k[c * lags + n];
                for (int j = 1; j < n; j++) {
                    acc += aEff[g * order + j - 1] * k[c * lags + n - j];
                }
                cRev[c * order + order - n] = acc;
                aRev[c * order + order - n] = aEff[g * order + n - 1];
            }
            d[c] = k[c * lags];
        }
        return new RtfRecurrence(batch, h, order, cRev, aRev, d);
    }

    // ----------------------------------------------------------------------------------------- checks

    @Override
    protected void closeKernelResources() {
        for (DeviceBuffer[] arr : new DeviceBuffer[][] {bufA, bufMargin, bufB, bufH0, specA, specB, specK, minMag, gradA, gradB, gradH0}) {
            for (DeviceBuffer b : arr) {
                b.close();
            }
        }
        work.close();
    }

    @Override
    public String toString() {
        return "RtfLayer[H=" + h + ", N=" + order + ", L=" + cfg.maxLength() + ", numA=" + numA
            + (cfg.bidirectional() ? ", bidirectional" : ", causal") + ", " + cfg.constraint() + ", " + p
            + ", backend " + be.name() + "]";
    }
}
