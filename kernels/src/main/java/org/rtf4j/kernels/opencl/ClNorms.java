package org.rtf4j.kernels.opencl;

import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.DropoutShape;
import org.rtf4j.kernels.dense.NormShape;

/**
 * The normalisation and dropout {@code KernelId}s as launches of {@code norm.cl}, with their row and channel
 * partial sums in the runtime's scratch buffers. Arguments arrive checked ({@code AbstractBackend}); each
 * method runs inside one {@link ClRuntime#within} operation of {@link OpenClBackend}. Index buffers arrive as
 * their 4-byte storage; a null {@code lengths} (every position valid) is replaced by a 4-byte dummy that the
 * kernels do not read ({@code hasLengths = 0}).
 *
 * <p>Launches, planned by {@link LaunchPlanner#free}: per position (B·ℓ work-items: LayerNorm and its dx), per
 * row (B·C: the chunked row sums), per channel (C: the totals in order of b, BatchNorm's statistics) and per
 * element ((ℓ, B·C): BatchNorm's output and dx, the mask, tied dropout; ⌈B·C·ℓ/4⌉: dropout, one Philox call per
 * work-item).
 */
final class ClNorms {
    private final ClQueue rt;

    ClNorms(ClQueue rt) {
        this.rt = rt;
    }

    private ClBuffer indicesOrDummy(ClBuffer lengths) {
        return lengths == null ? rt.dummy(Precision.F32) : lengths;
    }

    /** LayerNorm: one launch per position. */
    void layerNorm(NormShape s, ClBuffer x, ClBuffer gamma, ClBuffer beta, ClBuffer y, ClBuffer mean, ClBuffer invStd) {
        rt.launch(ClKernel.LAYER_NORM, x.precision, new long[] {s.positions()}, null, x, gamma, beta, y, mean, invStd,
            s.channels(), s.length(), s.positions());
    }

    /** LayerNorm backward: the row partials of dγ, dβ, their channel totals, then dx (which may overwrite dy). */
    void layerNormBackward(NormShape s, ClBuffer x, ClBuffer gamma, ClBuffer mean, ClBuffer invStd, ClBuffer dy,
                           ClBuffer dx, ClBuffer dGamma, ClBuffer dBeta) {
        Precision p = x.precision;
        ClBuffer rowA = rt.scratch(p, "normRowsA", s.rows());
        ClBuffer rowB = rt.scratch(p, "normRowsB", s.rows());
        ClBuffer none = rt.dummy(Precision.F32);
        rt.launch(ClKernel.NORM_ROW_SUMS, p, new long[] {s.rows()}, null, x, dy, mean, invStd, none, rowA, rowB,
            s.channels(), s.length(), s.rows(), 1, 0);
        rt.launch(ClKernel.CHANNEL_TOTALS, p, new long[] {s.channels()}, null, rowA, rowB, none, dGamma, dBeta, rt.dummy(p),
            s.batch(), s.channels(), s.length(), 0, 0);
        rt.launch(ClKernel.LAYER_NORM_BACKWARD, p, new long[] {s.positions()}, null, x, gamma, mean, invStd, dy, dx,
            s.channels(), s.length(), s.positions());
    }

    /** BatchNorm: sums, mean, squared deviations, variance and running update (training), then the output. */
    void batchNorm(NormShape s, boolean training, ClBuffer x, ClBuffer lengths, ClBuffer gamma, ClBuffer beta,
                   ClBuffer runningMean, ClBuffer runningVar, ClBuffer y, ClBuffer mean, ClBuffer invStd) {
        Precision p = x.precision;
        ClBuffer len = indicesOrDummy(lengths);
        int has = lengths == null ? 0 : 1;
        int tr = training ? 1 : 0;
        ClBuffer rowA = rt.scratch(p, "normRowsA", s.rows());
        if (training) {
            rt.launch(ClKernel.VALID_ROW_SUMS, p, new long[] {s.rows()}, null, x, len, rt.dummy(p), rowA, s.channels(),
                s.length(), s.rows(), has, 0);
        }
        rt.launch(ClKernel.BATCH_NORM_MEAN, p, new long[] {s.channels()}, null, rowA, len, runningMean, mean, s.batch(),
            s.channels(), s.length(), has, tr);
        if (training) {
            rt.launch(ClKernel.VALID_ROW_SUMS, p, new long[] {s.rows()}, null, x, len, mean, rowA, s.channels(), s.length(),
                s.rows(), has, 1);
        }
        rt.launch(ClKernel.BATCH_NORM_VARIANCE, p, new long[] {s.channels()}, null, rowA, len, mean, runningMean,
            runningVar, invStd, s.batch(), s.channels(), s.length(), has, tr);
        rt.launch(ClKernel.NORM_APPLY, p, new long[] {s.length(), s.rows()}, null, x, gamma, beta, mean, invStd, y,
            s.channels(), s.length());
    }

    /** BatchNorm backward: row partials, channel totals (kept with n), then dx (which may overwrite dy). */
    void batchNormBackward(NormShape s, boolean training, ClBuffer x, ClBuffer lengths, ClBuffer gamma, ClBuffer mean,
                           ClBuffer invStd, ClBuffer dy, ClBuffer dx, ClBuffer dGamma, ClBuffer dBeta) {
        Precision p = x.precision;
        ClBuffer len = indicesOrDummy(lengths);
        int has = lengths == null ? 0 : 1;
        ClBuffer rowA = rt.scratch(p, "normRowsA", s.rows());
        ClBuffer rowB = rt.scratch(p, "normRowsB", s.rows());
        ClBuffer sums = rt.scratch(p, "normChannelSums", 3L * s.channels());
        rt.launch(ClKernel.NORM_ROW_SUMS, p, new long[] {s.rows()}, null, x, dy, mean, invStd, len, rowA, rowB,
            s.channels(), s.length(), s.rows(), 0, has);
        rt.launch(ClKernel.CHANNEL_TOTALS, p, new long[] {s.channels()}, null, rowA, rowB, len, dGamma, dBeta, sums,
            s.batch(), s.channels(), s.length(), has, 1);
        rt.launch(ClKernel.BATCH_NORM_BACKWARD, p, new long[] {s.length(), s.rows()}, null, x, len, gamma, mean, invStd,
            dy, dx, sums, s.channels(), s.length(), has, training ? 1 : 0);
    }

    /** The padding mask: one launch over (ℓ, B·C). */
    void maskPadding(NormShape s, ClBuffer lengths, ClBuffer x) {
        rt.launch(ClKernel.MASK_PADDING, x.precision, new long[] {s.length(), s.rows()}, null, x, lengths, s.channels(),
            s.length());
    }

    /** Dropout or its backward (the same mask): one Philox call per four elements, or per (t, row) when tied. */
    void dropout(DropoutShape s, ClBuffer in, ClBuffer out) {
        Precision p = in.precision;
        if (s.tied()) {
            rt.launch(ClKernel.DROPOUT_TIED, p, new long[] {s.length(), (long) s.batch() * s.channels()}, null, in, out,
                s.length(), s.threshold(), s.layer(), s.step0(), s.step1(), s.key0(), s.key1(), s.scale());
        } else {
            rt.launch(ClKernel.DROPOUT, p, new long[] {(s.count() + 3L) / 4}, null, in, out, s.count(), s.threshold(),
                s.layer(), s.step0(), s.step1(), s.key0(), s.key1(), s.scale());
        }
    }
}
