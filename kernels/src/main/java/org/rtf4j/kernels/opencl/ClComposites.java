package org.rtf4j.kernels.opencl;

import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.ActivationShape;
import org.rtf4j.kernels.dense.AdamWStep;
import org.rtf4j.kernels.dense.AxpyShape;
import org.rtf4j.kernels.dense.BiasShape;
import org.rtf4j.kernels.dense.GemmShape;
import org.rtf4j.kernels.dense.Span;
import org.rtf4j.kernels.dense.EmbeddingShape;
import org.rtf4j.kernels.dense.GemmShape;
import org.rtf4j.kernels.dense.LossShape;
import org.rtf4j.kernels.dense.PoolShape;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.kernels.spectral.RationalShape;

/**
 * The composite {@code KernelId}s as sequences of OpenCL kernels and {@link ClFft} transforms,
 * with intermediates in the runtime's scratch buffers. Arguments arrive checked ({@code AbstractBackend});
 * each method runs inside one {@link ClRuntime#within} operation of {@link OpenClBackend}.
 */
final class ClComposites {
    private final ClQueue rt;
    private final ClFft fft;

    ClComposites(ClQueue rt, ClFft fft) {
        this.rt = rt;
        this.fft = fft;
    }

    void rationalSpectrum(RationalShape shape, ClBuffer ba, ClBuffer bm, ClBuffer bb, ClBuffer bh, ClBuffer sa, ClBuffer sb,
                          ClBuffer sk, ClBuffer mm) {
        Precision p = ba.precision;
        int bins = shape.bins();
        int numA = shape.numA();
        int order = shape.order();
        int rows = numA + shape.channels();
        ClBuffer padded = rt.scratch(p, "rationalRows", (long) rows * (order + 1));
        rt.launch(ClKernel.PAD_RATIONAL, p, new long[] {order + 1, rows}, null, ba, bb, padded, order, numA);
        ClBuffer ab = rt.scratch(p, "rationalSpectra", 2L * rows * bins);
        fft.realForward(p, shape.fftLength(), rows, padded, order + 1, order + 1, ab);
        rt.launch(ClKernel.REFINE_DENOMINATORS, p, new long[] {bins, numA}, null, ab, ba, bm, bins, order,
            shape.fftLength(), RationalShape.REFINE_BELOW);
        rt.launch(ClKernel.RATIONAL_DIVIDE, p, new long[] {bins, rows}, null, ab, bh, sa, sb, sk, bins, numA,
            shape.channelsPerDenominator());
        rt.launch(ClKernel.MIN_MAGNITUDE, p, new long[] {numA}, null, sa, ba, mm, bins, order, numA);
    }

    void rationalSpectrumBackward(RationalShape shape, ClBuffer g, int ell, ClBuffer sa, ClBuffer sb, ClBuffer ga,
                                  ClBuffer gb, ClBuffer gh, ClBuffer wk) {
        Precision p = g.precision;
        int bins = shape.bins();
        int numA = shape.numA();
        int h = shape.channels();
        int order = shape.order();
        int pp = shape.fftLength();
        ClBuffer gam = rt.scratch(p, "gamma", 2L * h * bins);
        fft.realForward(p, pp, h, g, ell, ell, gam);
        ClBuffer xb = rt.scratch(p, "numeratorSpectra", 2L * h * bins);
        rt.launch(ClKernel.RATIONAL_BACKWARD_SPECTRA, p, new long[] {bins, h}, null, gam, sa, sb, xb, wk, bins,
            shape.channelsPerDenominator());
        ClBuffer tmp = rt.scratch(p, "coefficients", (long) Math.max(h, numA) * (order + 1));
        fft.realInverse(p, pp, h, xb, tmp, order + 1, order + 1);
        rt.launch(ClKernel.DROP_LAG0, p, new long[] {order, h}, null, tmp, gb, order);
        ClBuffer s = rt.scratch(p, "groupSums", 2L * numA * bins);
        rt.launch(ClKernel.GROUP_SUM, p, new long[] {bins, numA}, null, wk, s, bins, shape.channelsPerDenominator());
        fft.realInverse(p, pp, numA, s, tmp, order + 1, order + 1);
        rt.launch(ClKernel.DROP_LAG0, p, new long[] {order, numA}, null, tmp, ga, order);
        rt.launch(ClKernel.TAKE_LAG0, p, new long[] {h}, null, g, gh, ell, h);
    }

    void fftConv(ConvShape shape, ClBuffer f, ClBuffer bk, ClBuffer bu, ClBuffer by, ClBuffer ks, ClBuffer us) {
        Precision p = bu.precision;
        int n = shape.fftLength();
        int ell = shape.length();
        int h = shape.channels();
        int rows = shape.batch() * h;
        int bins = shape.bins();
        if (bk == null) {
            fft.realForward(p, n, h, f, ell, ell, ks);
        } else {
            ClBuffer kappa = rt.scratch(p, "twoSided", (long) h * n);
            rt.launch(ClKernel.TWO_SIDED_KERNEL, p, new long[] {n, h}, null, f, bk, kappa, ell, n);
            fft.realForward(p, n, h, kappa, n, n, ks);
        }
        fft.realForward(p, n, rows, bu, ell, ell, us);
        ClBuffer prod = rt.scratch(p, "rowSpectra", 2L * rows * bins);
        rt.launch(ClKernel.SPECTRAL_MUL, p, new long[] {bins, rows}, null, us, ks, prod, bins, h);
        fft.realInverse(p, n, rows, prod, by, ell, ell);
    }

    void fftConvBackward(ConvShape shape, ClBuffer ks, ClBuffer us, ClBuffer bg, ClBuffer bd, ClBuffer df, ClBuffer dbk) {
        Precision p = bg.precision;
        int n = shape.fftLength();
        int ell = shape.length();
        int h = shape.channels();
        int rows = shape.batch() * h;
        int bins = shape.bins();
        // the forward's product spectra and these are never live together: one scratch buffer
        ClBuffer gs = rt.scratch(p, "rowSpectra", 2L * rows * bins);
        fft.realForward(p, n, rows, bg, ell, ell, gs);
        ClBuffer acc = rt.scratch(p, "kernelGradientSpectra", 2L * h * bins);
        rt.launch(ClKernel.CONV_BACKWARD_SPECTRA, p, new long[] {bins, h}, null, gs, us, ks, acc, bins, h, shape.batch());
        fft.realInverse(p, n, rows, gs, bd, ell, ell);
        ClBuffer g = rt.scratch(p, "kernelGradientFull", (long) h * n);
        fft.realInverse(p, n, h, acc, g, n, n);
        rt.launch(ClKernel.KERNEL_GRADS, p, new long[] {ell, h}, null, g, df, dbk == null ? rt.dummy(p) : dbk, ell, n,
            dbk == null ? 0 : 1);
    }

    void vandermonde(ModalShape shape, ClBuffer z, ClBuffer c, ClBuffer d, ClBuffer out) {
        Precision p = out.precision;
        int items = (shape.length() + ModalShape.VANDERMONDE_BLOCK - 1) / ModalShape.VANDERMONDE_BLOCK;
        rt.launch(ClKernel.VANDERMONDE, p, new long[] {items, shape.channels()}, null, z, c, d == null ? rt.dummy(p) : d,
            d == null ? 0 : 1, out, shape.modes(), shape.length());
    }

    void vandermondeBackward(ModalShape shape, ClBuffer z, ClBuffer g, ClBuffer s0, ClBuffer s1, ClBuffer d) {
        Precision p = g.precision;
        rt.launch(ClKernel.VANDERMONDE_BACKWARD, p, new long[] {shape.modes(), shape.channels()}, null, z, g, s0, s1,
            shape.modes(), shape.length());
        rt.launch(ClKernel.TAKE_LAG0, p, new long[] {shape.channels()}, null, g, d, shape.length(), shape.channels());
    }

    /** The largest tile edge of {@link #gemm}: work-groups of at most 16 × 16. */
    static final int GEMM_MAX_TILE = 16;

    /**
     * The tile edge ts of a {@code gemm} launch: the largest power of two ≤ {@value #GEMM_MAX_TILE} whose
     * ts × ts work-group fits the device's and the kernel's cap ({@link LaunchPlanner#groupCap}) and the
     * device's dimension-0 extent, and whose two local tiles ({@link #gemmLocalBytes}) fit the local memory
     * the kernel leaves free; 1 at worst.
     */
    int gemmTile(Precision p) {
        LaunchPlanner.KernelLimits k = rt.limits(p, ClKernel.GEMM);
        long cap = Math.min(LaunchPlanner.groupCap(rt.info().limits(), k), rt.info().limits().maxWorkItemSizeX());
        long local = rt.info().localMemBytes() - k.staticLocalBytes();
        int ts = GEMM_MAX_TILE;
        while (ts > 1 && ((long) ts * ts > cap || gemmLocalBytes(p, ts) > local)) {
            ts /= 2;
        }
        return ts;
    }

    /** Local memory of a {@code gemm} launch with tile edge ts: its two tiles, in bytes. */
    static long gemmLocalBytes(Precision p, int ts) {
        long tile = (long) GEMM_R * ts;
        return (tile * (ts + 1) + ts * (tile + 1)) * p.bytes();
    }

    /** Elements of C per work-item along each axis of a {@code gemm} launch (GEMM_R in dense.cl). */
    static final int GEMM_R = 4;

    /**
     * {@code gemm}: one launch of ts × ts work-groups ({@link #gemmTile}), each computing a block of
     * {@value #GEMM_R}·ts × {@value #GEMM_R}·ts elements of C ({@value #GEMM_R} × {@value #GEMM_R} per work-item),
     * over (columns, rows, outputs); local memory: two tiles of {@value #GEMM_R}·ts × (ts + 1) and
     * ts × ({@value #GEMM_R}·ts + 1) reals.
     */
    void gemm(GemmShape s, ClBuffer ba, ClBuffer bb, ClBuffer bc) {
        Precision p = bc.precision;
        int ts = gemmTile(p);
        long tile = (long) GEMM_R * ts;
        long aBytes = tile * (ts + 1) * p.bytes();
        long bBytes = ts * (tile + 1) * p.bytes();
        rt.launch(ClKernel.GEMM, p,
            new long[] {(s.n() + tile - 1) / tile * ts, (s.m() + tile - 1) / tile * ts, s.outputs()},
            new long[] {ts, ts, 1}, ba, bb, bc, s.transA() ? 1 : 0, s.transB() ? 1 : 0, s.m(), s.n(), s.k(), s.batch(),
            s.lda(), s.ldb(), s.ldc(), s.aOffset(), s.bOffset(), s.cOffset(), s.strideA(), s.strideB(), s.strideC(),
            s.reducesBatches() ? 1 : 0, s.alpha(), s.beta(), ts, new ClRuntime.Local(aBytes), new ClRuntime.Local(bBytes));
    }

    /** {@code gelu}: one launch over the elements. */
    void gelu(ActivationShape s, ClBuffer x, ClBuffer y) {
        rt.launch(ClKernel.GELU, x.precision, new long[] {s.count()}, null, x, y, s.count());
    }

    /** {@code geluBackward}: one launch over the elements. */
    void geluBackward(ActivationShape s, ClBuffer x, ClBuffer dy, ClBuffer dx) {
        rt.launch(ClKernel.GELU_BACKWARD, x.precision, new long[] {s.count()}, null, x, dy, dx, s.count());
    }

    /** {@code glu}: one launch over (ℓ, B·C/2). */
    void glu(ActivationShape s, ClBuffer x, ClBuffer y) {
        rt.launch(ClKernel.GLU, x.precision, new long[] {s.length(), (long) s.batch() * s.half()}, null, x, y, s.length(),
            s.half());
    }

    /** {@code gluBackward}: one launch over (ℓ, B·C/2). */
    void gluBackward(ActivationShape s, ClBuffer x, ClBuffer dy, ClBuffer dx) {
        rt.launch(ClKernel.GLU_BACKWARD, x.precision, new long[] {s.length(), (long) s.batch() * s.half()}, null, x, dy, dx,
            s.length(), s.half());
    }

    void cauchy(ModalShape shape, ClBuffer bw, ClBuffer bv, ClBuffer d, ClBuffer out) {
        Precision p = out.precision;
        rt.launch(ClKernel.CAUCHY, p, new long[] {shape.bins(), shape.channels()}, null, bw, bv, d == null ? rt.dummy(p) : d,
            d == null ? 0 : 1, out, shape.modes(), shape.length(), shape.channels());
    }

    void cauchyBackward(ModalShape shape, ClBuffer bw, ClBuffer bv, ClBuffer gs, ClBuffer ov, ClBuffer ow, ClBuffer og,
                        ClBuffer od) {
        Precision p = gs.precision;
        int count = (shape.length() + 1) / 2;
        ClBuffer gr = rt.scratch(p, "cauchyNodes", 8L * shape.channels() * count);
        rt.launch(ClKernel.CAUCHY_BACKWARD_NODES, p, new long[] {count, shape.channels()}, null, bw, bv, gs, gr,
            shape.modes(), shape.length(), shape.channels());
        rt.launch(ClKernel.CAUCHY_BACKWARD_MODES, p, new long[] {shape.modes(), shape.channels()}, null, bw, bv, gr, gs, ov,
            ow, og, od, shape.modes(), shape.length(), shape.channels());
    }

    // ---- optimiser and linear-algebra glue (issue 15)

    /** Lanes of a chunk of the blocked sum (OPT_LANES in optim.cl); the largest work-group of its kernels. */
    static final int OPT_LANES = 256;
    /** Elements per chunk of the blocked sum (OPT_CHUNK in optim.cl). */
    static final int OPT_CHUNK = OPT_LANES * 32;

    /**
     * The work-group of a blocked-sum kernel ({@code biasRowSums}, {@code sumSquaresChunks}): the largest power of
     * two ≤ {@value #OPT_LANES} within the device's and the kernel's cap and the dimension-0 extent, whose lane
     * sums ({@value #OPT_LANES} reals) fit the local memory the kernel leaves free; the sums do not depend on it.
     */
    int optimGroup(Precision p, ClKernel k) {
        LaunchPlanner.KernelLimits kl = rt.limits(p, k);
        long cap = Math.min(LaunchPlanner.groupCap(rt.info().limits(), kl), rt.info().limits().maxWorkItemSizeX());
        if ((long) OPT_LANES * p.bytes() + kl.staticLocalBytes() > rt.info().localMemBytes()) {
            throw new IllegalStateException("device " + rt.info().name() + " has " + rt.info().localMemBytes()
                + " bytes of local memory, kernel " + k.functionName() + " needs " + ((long) OPT_LANES * p.bytes()
                + kl.staticLocalBytes()));
        }
        int g = OPT_LANES;
        while (g > 1 && g > cap) {
            g /= 2;
        }
        return g;
    }

    /** {@code biasAdd}: one launch over (ℓ, B·C). */
    void biasAdd(BiasShape s, ClBuffer bias, ClBuffer y, boolean accumulate) {
        rt.launch(ClKernel.BIAS_ADD, y.precision, new long[] {s.length(), s.rows()}, null, bias, y, s.length(), s.channels(),
            accumulate ? 1 : 0);
    }

    /**
     * {@code biasGrad}: {@code biasRowSums}, one work-group per row (b, c) ({@link #optimGroup}) into the scratch
     * "biasRowSums" (B·C reals), then {@code biasGradSum} over the channels.
     */
    void biasGrad(BiasShape s, ClBuffer dy, ClBuffer db) {
        Precision p = dy.precision;
        int g = optimGroup(p, ClKernel.BIAS_ROW_SUMS);
        ClBuffer rows = rt.scratch(p, "biasRowSums", s.rows());
        rt.launch(ClKernel.BIAS_ROW_SUMS, p, new long[] {(long) s.rows() * g}, new long[] {g}, dy, rows, s.length(),
            new ClRuntime.Local((long) OPT_LANES * p.bytes()));
        rt.launch(ClKernel.BIAS_GRAD_SUM, p, new long[] {s.channels()}, null, rows, db, s.batch(), s.channels());
    }

    /** {@code axpy}: one launch over the elements. */
    void axpy(AxpyShape s, double alpha, ClBuffer x, ClBuffer y) {
        rt.launch(ClKernel.AXPY, y.precision, new long[] {s.count()}, null, x, y, s.count(), s.xOffset(), s.yOffset(), alpha);
    }

    /**
     * {@code sumSquares}: {@code sumSquaresChunks}, one work-group per chunk of {@value #OPT_CHUNK} elements
     * ({@link #optimGroup}) into the scratch "sumSquaresChunks", then {@code sumSquaresFinish} (one work item)
     * into the slot.
     */
    void sumSquares(Span span, ClBuffer x, ClBuffer partials, int slot) {
        Precision p = x.precision;
        int chunks = (span.count() + OPT_CHUNK - 1) / OPT_CHUNK;
        int g = optimGroup(p, ClKernel.SUM_SQUARES_CHUNKS);
        ClBuffer sums = rt.scratch(p, "sumSquaresChunks", chunks);
        rt.launch(ClKernel.SUM_SQUARES_CHUNKS, p, new long[] {(long) chunks * g}, new long[] {g}, x, sums, span.offset(),
            span.count(), new ClRuntime.Local((long) OPT_LANES * p.bytes()));
        rt.launch(ClKernel.SUM_SQUARES_FINISH, p, new long[] {1}, null, sums, partials, chunks, slot);
    }

    /** {@code adamW}: one launch over the span's elements. */
    void adamW(Span span, AdamWStep st, ClBuffer param, ClBuffer grad, ClBuffer m, ClBuffer v, ClBuffer partials,
               int partialCount) {
        rt.launch(ClKernel.ADAMW, param.precision, new long[] {span.count()}, null, param, grad, m, v, partials,
            span.offset(), span.count(), partialCount, st.lr(), st.weightDecay(), st.beta1(), st.oneMinusBeta1(),
            st.beta2(), st.oneMinusBeta2(), st.eps(), st.c1(), st.c2(), st.maxNorm());
    }

    // ---- ends of the model: embedding, pooling, losses (issue 15)

    // Index arguments (tokens, groupings, lengths, targets) are the 4-byte storage of the caller's index buffers.

    /** {@code embedding}: one launch over (ℓ, B·H). */
    void embedding(EmbeddingShape s, ClBuffer tokens, ClBuffer table, ClBuffer y) {
        rt.launch(ClKernel.EMBEDDING, table.precision, new long[] {s.length(), (long) s.batch() * s.dim()}, null, tokens,
            table, y, s.length(), s.dim(), s.vocabulary());
    }

    /** {@code embeddingBackward}: one launch over (H, V), each work item one running sum over its token's positions. */
    void embeddingBackward(EmbeddingShape s, ClBuffer order, ClBuffer starts, ClBuffer dy, ClBuffer dTable) {
        rt.launch(ClKernel.EMBEDDING_BACKWARD, dy.precision, new long[] {s.dim(), s.vocabulary()}, null, order, starts, dy,
            dTable, s.length(), s.dim(), s.positions());
    }

    /** {@code pool}: one launch over the B·C rows. */
    void pool(PoolShape s, ClBuffer lengths, ClBuffer x, ClBuffer y) {
        rt.launch(ClKernel.POOL, x.precision, new long[] {s.outputCount()}, null, lengths, x, y, s.outputCount(), s.channels(),
            s.length(), s.mode() == PoolShape.Mode.MEAN ? 1 : 0);
    }

    /** {@code poolBackward}: one launch over (ℓ, B·C). */
    void poolBackward(PoolShape s, ClBuffer lengths, ClBuffer dy, ClBuffer dx) {
        rt.launch(ClKernel.POOL_BACKWARD, dy.precision, new long[] {s.length(), s.outputCount()}, null, lengths, dy, dx,
            s.channels(), s.length(), s.mode() == PoolShape.Mode.MEAN ? 1 : 0);
    }

    /**
     * {@code crossEntropy}: terms and statuses per position over (ℓ, B), then {@link #lossScalars}.
     */
    void crossEntropy(LossShape s, ClBuffer logits, ClBuffer targets, double scale, ClBuffer grad, ClBuffer scalars,
                      int offset) {
        Precision p = logits.precision;
        int n = s.positions();
        ClBuffer terms = rt.scratch(p, "lossTerms", n);
        ClBuffer status = rt.scratch(p, "lossStatus", n);
        rt.launch(ClKernel.CROSS_ENTROPY, p, new long[] {s.length(), s.batch()}, null, logits, targets, grad, terms, status,
            s.outputs(), s.length(), scale);
        lossScalars(p, terms, status, n, scalars, offset);
    }

    /** {@code mse}: terms and statuses per element over (ℓ, B·K), then {@link #lossScalars}. */
    void mse(LossShape s, ClBuffer outputs, ClBuffer targets, ClBuffer lengths, double scale, ClBuffer grad,
             ClBuffer scalars, int offset) {
        Precision p = outputs.precision;
        int n = s.count();
        ClBuffer terms = rt.scratch(p, "lossTerms", n);
        ClBuffer status = rt.scratch(p, "lossStatus", n);
        rt.launch(ClKernel.MSE, p, new long[] {s.length(), (long) s.batch() * s.outputs()}, null, outputs, targets, lengths,
            grad, terms, status, s.outputs(), s.length(), scale);
        lossScalars(p, terms, status, n, scalars, offset);
    }

    /**
     * The loss scalars from n terms and statuses: {@code lossPartials} over chunks of {@link LossShape#CHUNK}, then
     * {@code lossTotal} on one work item.
     */
    private void lossScalars(Precision p, ClBuffer terms, ClBuffer status, int n, ClBuffer scalars, int offset) {
        int chunks = (int) (((long) n + LossShape.CHUNK - 1) / LossShape.CHUNK);
        ClBuffer partials = rt.scratch(p, "lossPartials", 4L * chunks);
        rt.launch(ClKernel.LOSS_PARTIALS, p, new long[] {chunks}, null, terms, status, partials, n, LossShape.CHUNK);
        rt.launch(ClKernel.LOSS_TOTAL, p, new long[] {1}, null, partials, scalars, offset, chunks);
    }
}
