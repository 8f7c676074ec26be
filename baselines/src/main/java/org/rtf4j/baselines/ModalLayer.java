package org.rtf4j.baselines;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.layer.ConvolutionalLayer;
import org.rtf4j.layer.Parameter;

/**
 * What S4D and S4 share: the parameters of state-spaces/s4's standalone {@code s4.py} and their
 * initialisation. N is the real state size; M = N/2 complex modes are stored, the conjugate half is
 * implicit. The skip {@code D ⊙ u} is folded into lag 0 of the forward kernel, which is exact.
 *
 * <h2>Parameters (complex tensors as real-view pairs, last dimension 2 = (re, im))</h2>
 * <ul>
 *   <li>{@code log_dt} (H): Δ = exp(log_dt) (SSM);</li>
 *   <li>{@code A_real} (H, M): Re Λ = −exp(A_real) (SSM); {@code A_imag} (H, M): Im Λ = −A_imag (SSM);</li>
 *   <li>{@code B} (H, M, 2) (SSM); {@code P} (1, H, M, 2), S4 only (SSM);</li>
 *   <li>{@code C} (D, H, M, 2), one per direction D ∈ {1, 2} (for S4 the truncated C̃ = C(I − Ā^L));</li>
 *   <li>{@code D} (H): skip.</li>
 * </ul>
 */
abstract class ModalLayer extends ConvolutionalLayer {
    /** Smallest stored |Im Λ| / −Re Λ, the clamp of the reference's parameter transform. */
    static final double CLAMP = 1e-4;

    protected final SsmConfig cfg;
    protected final int modes;
    protected final int dirs;
    protected final Parameter logDt;
    protected final Parameter aReal;
    protected final Parameter aImag;
    protected final Parameter bParam;
    protected final Parameter pParam;
    protected final Parameter cParam;
    protected final Parameter dParam;
    private final List<Parameter> params;

    ModalLayer(SsmConfig config, Backend backend, boolean lowRank) {
        super(backend, config.precision(), config.channels(), config.maxLength(), config.bidirectional());
        this.cfg = config;
        this.modes = config.modes();
        this.dirs = config.directions();
        int hh = config.channels();
        logDt = new Parameter("log_dt", new int[] {hh}, true);
        aReal = new Parameter("A_real", new int[] {hh, modes}, true);
        aImag = new Parameter("A_imag", new int[] {hh, modes}, true);
        bParam = new Parameter("B", new int[] {hh, modes, 2}, true);
        pParam = lowRank ? new Parameter("P", new int[] {1, hh, modes, 2}, true) : null;
        cParam = new Parameter("C", new int[] {dirs, hh, modes, 2}, false);
        dParam = new Parameter("D", new int[] {hh}, false);
        List<Parameter> ps = new ArrayList<>(List.of(logDt, aReal, aImag, bParam));
        if (pParam != null) {
            ps.add(pParam);
        }
        ps.add(cParam);
        ps.add(dParam);
        params = Collections.unmodifiableList(ps);
        initialise(new SplittableRandom(config.seed()));
    }

    /**
     * Heap bytes every modal layer of this configuration allocates when built: the parameters with their
     * gradients (float64, 16 bytes a value: log_dt and D of H, A_real and A_imag of H·M, B and P (S4) of
     * 2·H·M, C of 2·D·H·M) and, for the LegS initialisation, the diagonalisation
     * {@link HippoLegS#bytesNeeded}. Validates the kernel shape first. Saturates instead of overflowing.
     */
    static long parameterBytes(SsmConfig c) {
        new org.rtf4j.kernels.spectral.ModalShape(c.channels(), c.modes(), c.maxLength());
        long h = c.channels();
        long m = c.modes();
        boolean lowRank = c.kind() == org.rtf4j.layer.LayerKind.S4;
        long values = MemoryCheck.plus(MemoryCheck.times(2, h), MemoryCheck.times(4, h, m),
            MemoryCheck.times(lowRank ? 4 : 2, h, m), MemoryCheck.times(2, c.directions(), h, m));
        long legs = c.init() == SsmConfig.Init.LEGS || lowRank ? HippoLegS.bytesNeeded(c.stateSize()) : 0;
        return MemoryCheck.plus(MemoryCheck.times(16, values), legs);
    }

    /**
     * Refuses, before anything is allocated, a configuration of {@code kind} whose estimate ({@code hostBytes}, plus {@code bufferBytes} when the buffers are heap arrays) does not fit.
     */
    static SsmConfig affordable(SsmConfig c, org.rtf4j.layer.LayerKind kind, long hostBytes, long bufferBytes,
                                Backend backend) {
        String sizes = "channels " + c.channels() + " × state " + c.stateSize() + " × length " + c.maxLength();
        MemoryCheck.require(kind.id() + " layer: " + sizes,
            MemoryCheck.plus(hostBytes, backend.buffersOnHeap() ? bufferBytes : 0));
        return c;
    }

    private void initialise(SplittableRandom r) {
        int n = cfg.stateSize();
        HippoLegS.Nplr nplr = cfg.init() == SsmConfig.Init.LEGS || pParam != null ? HippoLegS.of(n) : null;
        // the accessors copy: take each array once, not once per channel and mode
        double[] legsImag = nplr == null ? null : nplr.lambdaImag();
        double[] legsB = nplr == null ? null : nplr.b();
        double[] legsP = nplr == null ? null : nplr.p();
        double lo = Math.log(cfg.dtMin());
        double hi = Math.log(cfg.dtMax());
        for (int c = 0; c < h; c++) {
            logDt.value()[c] = lo == hi ? lo : r.nextDouble(lo, hi);
            dParam.value()[c] = r.nextGaussian();
            for (int m = 0; m < modes; m++) {
                int i = c * modes + m;
                double re = 0.5;
                double im;
                double b = 1.0;
                switch (cfg.init()) {
                    case LIN:
                        im = Math.PI * m;
                        break;
                    case INV:
                        im = n / Math.PI * (n / (2.0 * m + 1) - 1);
                        break;
                    case REAL:
                        re = m + 1;
                        im = 0;
                        break;
                    default:
                        im = -legsImag[m];
                        b = legsB[m];
                        break;
                }
                aReal.value()[i] = Math.log(Math.max(re, CLAMP));
                aImag.value()[i] = Math.max(im, CLAMP);
                bParam.value()[2 * i] = b;
                if (pParam != null) {
                    pParam.value()[2 * i] = legsP[m];
                }
            }
        }
        double[] cv = cParam.value();
        double sd = Math.sqrt(0.5);
        for (int i = 0; i < cv.length; i++) {
            cv[i] = sd * r.nextGaussian();
        }
    }

    /** The configuration. */
    public SsmConfig config() {
        return cfg;
    }

    @Override
    public int stateSize() {
        return cfg.stateSize();
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    /** Δ of channel c. */
    protected double delta(int c) {
        return Math.exp(logDt.value()[c]);
    }

    /** Λ of channel c, mode m. */
    protected Complex lambda(int c, int m) {
        int i = c * modes + m;
        return new Complex(-Math.exp(aReal.value()[i]), -aImag.value()[i]);
    }

    /** B of channel c, mode m. */
    protected Complex b(int c, int m) {
        return Complex.of(bParam.value(), 2 * (c * modes + m));
    }

    /** C of direction d, channel c, mode m. */
    protected Complex c(int d, int c, int m) {
        return Complex.of(cParam.value(), 2 * ((d * h + c) * modes + m));
    }

    /**
     * Accumulates the gradients of Λ (complex, PyTorch convention ∂/∂Re + i∂/∂Im) into A_real and A_imag
     * and of Δ into log_dt.
     */
    protected void accumulateLambdaAndDelta(int c, int m, Complex gLambda, double gDelta) {
        int i = c * modes + m;
        aReal.grad()[i] += -Math.exp(aReal.value()[i]) * gLambda.re();
        aImag.grad()[i] += -gLambda.im();
        if (gDelta != 0) {
            logDt.grad()[c] += delta(c) * gDelta;
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[H=" + h + ", N=" + cfg.stateSize() + ", L=" + maxLength
            + (bidirectional ? ", bidirectional" : ", causal") + ", " + cfg.disc() + ", " + cfg.init() + ", " + p
            + ", backend " + be.name() + "]";
    }
}
