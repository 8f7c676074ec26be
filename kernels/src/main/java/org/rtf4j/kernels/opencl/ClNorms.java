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
 * chunk ((⌈ℓ/{@value NormShape#CHUNK}⌉, B·C): the chunk partial sums), per channel (C: the row totals from the
 * partials and the channel totals in the JVM's order, BatchNorm's statistics) and per
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

    /** Chunks of {@link NormShape#CHUNK} positions per row. */
    private static int chunks(NormShape s) {
        return (s.length() + NormShape.CHUNK - 1) / NormShape.CHUNK;
    }

    /** LayerNorm backward: the chunk partials of dγ, dβ, their channel totals, then dx (which may overwrite dy). */
    void layerNormBackward(NormShape s, ClBuffer x, ClBuffer gamma, ClBuffer mean, ClBuffer invStd, ClBuffer dy,
                           ClBuffer dx, ClBuffer dGamma, ClBuffer dBeta) {
        Precision p = x.precision;
        int chunks = chunks(s);
        ClBuffer partA = rt.scratch(p, "normPartsA", (long) s.rows() * chunks);
        ClBuffer partB = rt.scratch(p, "normPartsB", (long) s.rows() * chunks);
        ClBuffer none = rt.dummy(Precision.F32);
        rt.launch(ClKernel.NORM_CHUNK_SUMS, p, new long[] {chunks, s.rows()}, null, x, dy, mean, invStd, none, partA, partB,
            s.channels(), s.length(), chunks, 1, 0);
        rt.launch(ClKernel.CHANNEL_TOTALS, p, new long[] {s.channels()}, null, partA, partB, none, dGamma, dBeta,
            rt.dummy(p), s.batch(), s.channels(), s.length(), chunks, 0, 0);
        rt.launch(ClKernel.LAYER_NORM_BACKWARD, p, new long[] {s.positions()}, null, x, gamma, mean, invStd, dy, dx,
            s.channels(), s.length(), s.positions());
    }

    /** BatchNorm: chunk sums, mean, squared deviations, variance and running update (training), then the output. */
    void batchNorm(NormShape s, boolean training, ClBuffer x, ClBuffer lengths, ClBuffer gamma, ClBuffer beta,
                   ClBuffer runningMean, ClBuffer runningVar, ClBuffer y, ClBuffer mean, ClBuffer invStd) {
        Precision p = x.precision;
        ClBuffer len = indicesOrDummy(lengths);
        int has = lengths == null ? 0 : 1;
        int tr = training ? 1 : 0;
        int chunks = chunks(s);
        ClBuffer part = rt.scratch(p, "normPartsA", (long) s.rows() * chunks);
        if (training) {
            rt.launch(ClKernel.VALID_CHUNK_SUMS, p, new long[] {chunks, s.rows()}, null, x, len, rt.dummy(p), part,
                s.channels(), s.length(), chunks, has, 0);
        }
        rt.launch(ClKernel.BATCH_NORM_MEAN, p, new long[] {s.channels()}, null, part, len, runningMean, mean, s.batch(),
            s.channels(), s.length(), chunks, has, tr);
        if (training) {
            rt.launch(ClKernel.VALID_CHUNK_SUMS, p, new long[] {chunks, s.rows()}, null, x, len, mean, part, s.channels(),
                s.length(), chunks, has, 1);
        }
        rt.launch(ClKernel.BATCH_NORM_VARIANCE, p, new long[] {s.channels()}, null, part, len, mean, runningMean,
            runningVar, invStd, s.batch(), s.channels(), s.length(), chunks, has, tr);
        rt.launch(ClKernel.NORM_APPLY, p, new long[] {s.length(), s.rows()}, null, x, gamma, beta, mean, invStd, y,
            s.channels(), s.length());
    }

    /** BatchNorm backward: chunk partials, channel totals (kept with n), then dx (which may overwrite dy). */
    void batchNormBackward(NormShape s, boolean training, ClBuffer x, ClBuffer lengths, ClBuffer gamma, ClBuffer mean,
                           ClBuffer invStd, ClBuffer dy, ClBuffer dx, ClBuffer dGamma, ClBuffer dBeta) {
        Precision p = x.precision;
        ClBuffer len = indicesOrDummy(lengths);
        int has = lengths == null ? 0 : 1;
        int chunks = chunks(s);
        ClBuffer partA = rt.scratch(p, "normPartsA", (long) s.rows() * chunks);
        ClBuffer partB = rt.scratch(p, "normPartsB", (long) s.rows() * chunks);
        ClBuffer sums = rt.scratch(p, "normChannelSums", 3L * s.channels());
        rt.launch(ClKernel.NORM_CHUNK_SUMS, p, new long[] {chunks, s.rows()}, null, x, dy, mean, invStd, len, partA, partB,
            s.channels(), s.length(), chunks, 0, has);
        rt.launch(ClKernel.CHANNEL_TOTALS, p, new long[] {s.channels()}, null, partA, partB, len, dGamma, dBeta, sums,
            s.batch(), s.channels(), s.length(), chunks, has, 1);
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
