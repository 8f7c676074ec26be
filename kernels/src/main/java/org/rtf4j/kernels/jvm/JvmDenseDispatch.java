package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.backend.KernelId;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.ActivationShape;
import org.rtf4j.kernels.dense.AdamWStep;
import org.rtf4j.kernels.dense.AxpyShape;
import org.rtf4j.kernels.dense.BiasShape;
import org.rtf4j.kernels.dense.DropoutShape;
import org.rtf4j.kernels.dense.EmbeddingShape;
import org.rtf4j.kernels.dense.GemmShape;
import org.rtf4j.kernels.dense.LossShape;
import org.rtf4j.kernels.dense.NormShape;
import org.rtf4j.kernels.dense.PoolShape;
import org.rtf4j.kernels.dense.Span;

/**
 * The JVM backend's dispatch of the dense and training kernels, its one job: for each checked call of
 * {@link JvmBackend} (GEMM, activations, the optimiser glue, norms, dropout and padding masks, the model's
 * ends: embedding, pooling, losses) it picks the float64 or float32 kernel object by the buffers'
 * precision, hands it the heap arrays and the executor, and times the call ({@link JvmKernelTimer}). The
 * kernels are {@code JvmGemmF64}, {@code JvmActivationsF64}, {@code JvmOptimF64}, {@code JvmNormsF64} and
 * {@code JvmEndsF64} and their float32 twins, owned here.
 */
final class JvmDenseDispatch {
    private final JvmExecutor executor;
    private final JvmKernelTimer timer;
    private final JvmGemmF64 gemmF64;
    private final JvmGemmF32 gemmF32;
    private final JvmActivationsF64 activationsF64 = new JvmActivationsF64();
    private final JvmActivationsF32 activationsF32 = new JvmActivationsF32();
    // ---- optimiser and linear-algebra glue (issue 15)
    private final JvmOptimF64 optimF64;
    private final JvmOptimF32 optimF32;
    // ---- normalisation and dropout (issue 15)
    private final JvmNormsF64 normsF64;
    private final JvmNormsF32 normsF32;
    // ---- ends of the model: embedding, pooling, losses (issue 15)
    private final JvmEndsF64 endsF64;
    private final JvmEndsF32 endsF32;

    JvmDenseDispatch(JvmExecutor executor, JvmKernelTimer timer) {
        this.executor = executor;
        this.timer = timer;
        this.gemmF64 = new JvmGemmF64(executor.threads());
        this.gemmF32 = new JvmGemmF32(executor.threads());
        this.optimF64 = new JvmOptimF64(executor.threads());
        this.optimF32 = new JvmOptimF32(executor.threads());
        this.normsF64 = new JvmNormsF64(executor.threads());
        this.normsF32 = new JvmNormsF32(executor.threads());
        this.endsF64 = new JvmEndsF64(executor.threads());
        this.endsF32 = new JvmEndsF32(executor.threads());
    }

    /** Bytes of scratch held by the GEMM and the optimiser's partial sums. */
    long scratchBytes() {
        return gemmF64.scratchBytes() + gemmF32.scratchBytes() + optimF64.scratchBytes() + optimF32.scratchBytes();
    }

    void gemm(GemmShape shape, JvmBuffer a, JvmBuffer b, JvmBuffer c) {
        long t0 = timer.tic();
        if (c.precision() == Precision.F64) {
            gemmF64.gemm(executor, shape, a.f64(), b.f64(), c.f64());
        } else {
            gemmF32.gemm(executor, shape, a.f32(), b.f32(), c.f32());
        }
        timer.toc(KernelId.GEMM, t0);
    }

    void gelu(ActivationShape shape, JvmBuffer x, JvmBuffer y) {
        long t0 = timer.tic();
        if (x.precision() == Precision.F64) {
            activationsF64.gelu(executor, shape, x.f64(), y.f64());
        } else {
            activationsF32.gelu(executor, shape, x.f32(), y.f32());
        }
        timer.toc(KernelId.GELU, t0);
    }

    void geluBackward(ActivationShape shape, JvmBuffer x, JvmBuffer dy, JvmBuffer dx) {
        long t0 = timer.tic();
        if (x.precision() == Precision.F64) {
            activationsF64.geluBackward(executor, shape, x.f64(), dy.f64(), dx.f64());
        } else {
            activationsF32.geluBackward(executor, shape, x.f32(), dy.f32(), dx.f32());
        }
        timer.toc(KernelId.GELU_BACKWARD, t0);
    }

    void glu(ActivationShape shape, JvmBuffer x, JvmBuffer y) {
        long t0 = timer.tic();
        if (x.precision() == Precision.F64) {
            activationsF64.glu(executor, shape, x.f64(), y.f64());
        } else {
            activationsF32.glu(executor, shape, x.f32(), y.f32());
        }
        timer.toc(KernelId.GLU, t0);
    }

    void gluBackward(ActivationShape shape, JvmBuffer x, JvmBuffer dy, JvmBuffer dx) {
        long t0 = timer.tic();
        if (x.precision() == Precision.F64) {
            activationsF64.gluBackward(executor, shape, x.f64(), dy.f64(), dx.f64());
        } else {
            activationsF32.gluBackward(executor, shape, x.f32(), dy.f32(), dx.f32());
        }
        timer.toc(KernelId.GLU_BACKWARD, t0);
    }

    // ---- optimiser and linear-algebra glue (issue 15)

    void biasAdd(BiasShape shape, JvmBuffer bias, JvmBuffer y, boolean accumulate) {
        long t0 = timer.tic();
        if (y.precision() == Precision.F64) {
            optimF64.biasAdd(executor, shape, bias.f64(), y.f64(), accumulate);
        } else {
            optimF32.biasAdd(executor, shape, bias.f32(), y.f32(), accumulate);
        }
        timer.toc(KernelId.BIAS_ADD, t0);
    }

    void biasGrad(BiasShape shape, JvmBuffer dy, JvmBuffer db) {
        long t0 = timer.tic();
        if (dy.precision() == Precision.F64) {
            optimF64.biasGrad(executor, shape, dy.f64(), db.f64());
        } else {
            optimF32.biasGrad(executor, shape, dy.f32(), db.f32());
        }
        timer.toc(KernelId.BIAS_GRAD, t0);
    }

    void axpy(AxpyShape shape, double alpha, JvmBuffer x, JvmBuffer y) {
        long t0 = timer.tic();
        if (y.precision() == Precision.F64) {
            optimF64.axpy(executor, shape, alpha, x.f64(), y.f64());
        } else {
            optimF32.axpy(executor, shape, alpha, x.f32(), y.f32());
        }
        timer.toc(KernelId.AXPY, t0);
    }

    void sumSquares(Span span, JvmBuffer x, JvmBuffer partials, int slot) {
        long t0 = timer.tic();
        if (x.precision() == Precision.F64) {
            optimF64.sumSquares(executor, span, x.f64(), partials.f64(), slot);
        } else {
            optimF32.sumSquares(executor, span, x.f32(), partials.f32(), slot);
        }
        timer.toc(KernelId.SUM_SQUARES, t0);
    }

    void adamW(Span span, AdamWStep step, JvmBuffer param, JvmBuffer grad, JvmBuffer m, JvmBuffer v,
               JvmBuffer partials, int partialCount) {
        long t0 = timer.tic();
        if (param.precision() == Precision.F64) {
            optimF64.adamW(executor, span, step, param.f64(), grad.f64(), m.f64(), v.f64(), partials.f64(), partialCount);
        } else {
            optimF32.adamW(executor, span, step, param.f32(), grad.f32(), m.f32(), v.f32(), partials.f32(), partialCount);
        }
        timer.toc(KernelId.ADAMW, t0);
    }

    // ---- normalisation and dropout (issue 15)

    void layerNorm(NormShape shape, JvmBuffer x, JvmBuffer gamma, JvmBuffer beta, JvmBuffer y, JvmBuffer mean,
                   JvmBuffer invStd) {
        long t0 = timer.tic();
        if (x.precision() == Precision.F64) {
            normsF64.layerNorm(executor, shape, x.f64(), gamma.f64(), beta.f64(), y.f64(), mean.f64(), invStd.f64());
        } else {
            normsF32.layerNorm(executor, shape, x.f32(), gamma.f32(), beta.f32(), y.f32(), mean.f32(), invStd.f32());
        }
        timer.toc(KernelId.LAYER_NORM, t0);
    }

    void layerNormBackward(NormShape shape, JvmBuffer x, JvmBuffer gamma, JvmBuffer mean, JvmBuffer invStd,
                           JvmBuffer dy, JvmBuffer dx, JvmBuffer dGamma, JvmBuffer dBeta) {
        long t0 = timer.tic();
        if (x.precision() == Precision.F64) {
            normsF64.layerNormBackward(executor, shape, x.f64(), gamma.f64(), mean.f64(), invStd.f64(), dy.f64(), dx.f64(),
                dGamma.f64(), dBeta.f64());
        } else {
            normsF32.layerNormBackward(executor, shape, x.f32(), gamma.f32(), mean.f32(), invStd.f32(), dy.f32(), dx.f32(),
                dGamma.f32(), dBeta.f32());
        }
        timer.toc(KernelId.LAYER_NORM_BACKWARD, t0);
    }

    void batchNorm(NormShape shape, boolean training, JvmBuffer x, JvmIndexBuffer lengths, JvmBuffer gamma,
                   JvmBuffer beta, JvmBuffer runningMean, JvmBuffer runningVar, JvmBuffer y, JvmBuffer mean,
                   JvmBuffer invStd) {
        long t0 = timer.tic();
        int[] len = lengths == null ? null : lengths.values();
        if (x.precision() == Precision.F64) {
            normsF64.batchNorm(executor, shape, training, x.f64(), len, gamma.f64(), beta.f64(), runningMean.f64(),
                runningVar.f64(), y.f64(), mean.f64(), invStd.f64());
        } else {
            normsF32.batchNorm(executor, shape, training, x.f32(), len, gamma.f32(), beta.f32(), runningMean.f32(),
                runningVar.f32(), y.f32(), mean.f32(), invStd.f32());
        }
        timer.toc(KernelId.BATCH_NORM, t0);
    }

    void batchNormBackward(NormShape shape, boolean training, JvmBuffer x, JvmIndexBuffer lengths,
                           JvmBuffer gamma, JvmBuffer mean, JvmBuffer invStd, JvmBuffer dy, JvmBuffer dx,
                           JvmBuffer dGamma, JvmBuffer dBeta) {
        long t0 = timer.tic();
        int[] len = lengths == null ? null : lengths.values();
        if (x.precision() == Precision.F64) {
            normsF64.batchNormBackward(executor, shape, training, x.f64(), len, gamma.f64(), mean.f64(), invStd.f64(),
                dy.f64(), dx.f64(), dGamma.f64(), dBeta.f64());
        } else {
            normsF32.batchNormBackward(executor, shape, training, x.f32(), len, gamma.f32(), mean.f32(), invStd.f32(),
                dy.f32(), dx.f32(), dGamma.f32(), dBeta.f32());
        }
        timer.toc(KernelId.BATCH_NORM_BACKWARD, t0);
    }

    void dropout(DropoutShape shape, JvmBuffer x, JvmBuffer y) {
        long t0 = timer.tic();
        applyDropout(shape, x, y);
        timer.toc(KernelId.DROPOUT, t0);
    }

    void dropoutBackward(DropoutShape shape, JvmBuffer dy, JvmBuffer dx) {
        long t0 = timer.tic();
        applyDropout(shape, dy, dx);
        timer.toc(KernelId.DROPOUT_BACKWARD, t0);
    }

    private void applyDropout(DropoutShape shape, JvmBuffer in, JvmBuffer out) {
        if (in.precision() == Precision.F64) {
            normsF64.dropout(executor, shape, shape.scale(), in.f64(), out.f64());
        } else {
            normsF32.dropout(executor, shape, (float) shape.scale(), in.f32(), out.f32());
        }
    }

    void maskPadding(NormShape shape, JvmIndexBuffer lengths, JvmBuffer x) {
        long t0 = timer.tic();
        if (x.precision() == Precision.F64) {
            normsF64.maskPadding(executor, shape, lengths.values(), x.f64());
        } else {
            normsF32.maskPadding(executor, shape, lengths.values(), x.f32());
        }
        timer.toc(KernelId.MASK_PADDING, t0);
    }

    // ---- ends of the model: embedding, pooling, losses (issue 15)

    void embedding(EmbeddingShape shape, JvmIndexBuffer tokens, JvmBuffer table, JvmBuffer y) {
        long t0 = timer.tic();
        if (table.precision() == Precision.F64) {
            endsF64.embedding(executor, shape, tokens.values(), table.f64(), y.f64());
        } else {
            endsF32.embedding(executor, shape, tokens.values(), table.f32(), y.f32());
        }
        timer.toc(KernelId.EMBEDDING, t0);
    }

    void embeddingBackward(EmbeddingShape shape, JvmIndexBuffer order, JvmIndexBuffer starts, JvmBuffer dy,
                           JvmBuffer dTable) {
        long t0 = timer.tic();
        if (dy.precision() == Precision.F64) {
            endsF64.embeddingBackward(executor, shape, order.values(), starts.values(), dy.f64(), dTable.f64());
        } else {
            endsF32.embeddingBackward(executor, shape, order.values(), starts.values(), dy.f32(), dTable.f32());
        }
        timer.toc(KernelId.EMBEDDING_BACKWARD, t0);
    }

    void pool(PoolShape shape, JvmIndexBuffer lengths, JvmBuffer x, JvmBuffer y) {
        long t0 = timer.tic();
        if (x.precision() == Precision.F64) {
            endsF64.pool(executor, shape, lengths.values(), x.f64(), y.f64());
        } else {
            endsF32.pool(executor, shape, lengths.values(), x.f32(), y.f32());
        }
        timer.toc(KernelId.POOL, t0);
    }

    void poolBackward(PoolShape shape, JvmIndexBuffer lengths, JvmBuffer dy, JvmBuffer dx) {
        long t0 = timer.tic();
        if (dy.precision() == Precision.F64) {
            endsF64.poolBackward(executor, shape, lengths.values(), dy.f64(), dx.f64());
        } else {
            endsF32.poolBackward(executor, shape, lengths.values(), dy.f32(), dx.f32());
        }
        timer.toc(KernelId.POOL_BACKWARD, t0);
    }

    void crossEntropy(LossShape shape, JvmBuffer logits, JvmIndexBuffer targets, double scale, JvmBuffer grad,
                      JvmBuffer scalars, int scalarsOffset) {
        long t0 = timer.tic();
        if (logits.precision() == Precision.F64) {
            endsF64.crossEntropy(executor, shape, logits.f64(), targets.values(), scale, grad.f64(), scalars.f64(),
                scalarsOffset);
        } else {
            endsF32.crossEntropy(executor, shape, logits.f32(), targets.values(), (float) scale, grad.f32(), scalars.f32(),
                scalarsOffset);
        }
        timer.toc(KernelId.CROSS_ENTROPY, t0);
    }

    void mse(LossShape shape, JvmBuffer outputs, JvmBuffer targets, JvmIndexBuffer lengths, double scale,
             JvmBuffer grad, JvmBuffer scalars, int scalarsOffset) {
        long t0 = timer.tic();
        if (outputs.precision() == Precision.F64) {
            endsF64.mse(executor, shape, outputs.f64(), targets.f64(), lengths.values(), scale, grad.f64(), scalars.f64(),
                scalarsOffset);
        } else {
            endsF32.mse(executor, shape, outputs.f32(), targets.f32(), lengths.values(), (float) scale, grad.f32(),
                scalars.f32(), scalarsOffset);
        }
        timer.toc(KernelId.MSE, t0);
    }
}
