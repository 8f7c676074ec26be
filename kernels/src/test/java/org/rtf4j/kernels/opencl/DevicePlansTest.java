package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
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
 * Every launch of every OpenCL kernel, planned for real GPUs we do not have ({@link GpuTable}: NVIDIA A100,
 * AMD Instinct MI210, Intel Arc A770 without fp64, Intel UHD 620) at the study's and the training tasks'
 * shapes, by running the composites and FFTs on a {@link PlanRecorder} (no OpenCL call): each work-group
 * within the device's and the kernel's caps, each global size a multiple of its work-group and covering its
 * extents, the local memory within the device's, every buffer within the largest allocation; under 48 KiB
 * every transform up to 2^16 in at most 3 commands, and no Bluestein launch in a convolution.
 */
class DevicePlansTest {
    /** A layer shape: batch, channels, length, state size, bidirectional. */
    record Shape(String name, int batch, int channels, int length, int order, boolean bidirectional) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The study's cases (StudyPreset) and the LRA training shapes (bidirectional), plus the main job's. */
    static final List<Shape> SHAPES = List.of(
        new Shape("study kernel N=1024", 1, 256, 2048, 1024, false),
        new Shape("study layer N=64", 8, 128, 2048, 64, false),
        new Shape("study layer N=1024", 8, 128, 2048, 1024, false),
        new Shape("study memory L=8192", 8, 256, 8192, 256, false),
        new Shape("study length L=16384", 4, 64, 16384, 64, false),
        new Shape("ListOps", 32, 256, 2048, 4, true),
        new Shape("Text", 16, 256, 4096, 4, true),
        new Shape("Retrieval", 32, 128, 4000, 4, true),
        new Shape("Image", 50, 512, 1024, 64, true),
        new Shape("Pathfinder", 64, 256, 1024, 64, true),
        new Shape("Path-X", 16, 256, 16384, 64, true),
        new Shape("main job (Copying)", 16, 32, 96, 48, false));

    static Stream<GpuTable> devices() {
        return GpuTable.DEVICES.stream();
    }

    /** The precisions the device builds programs for: float32, and float64 where it has fp64. */
    private static List<Precision> precisions(GpuTable gpu) {
        return gpu.limits().fp64() ? List.of(Precision.values()) : List.of(Precision.F32);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void everyLaunchAtEveryShapeFitsTheDevice(GpuTable gpu) {
        PlanRecorder rec = new PlanRecorder(gpu);
        ClFft fft = new ClFft(rec);
        ClComposites cs = new ClComposites(rec, fft);
        int launches = 0;
        for (Precision p : precisions(gpu)) {
            for (Shape s : SHAPES) {
                rec.clear();
                runLayers(rec, cs, fft, p, s);
                check(gpu, rec, p + " " + s);
                launches += rec.launches.size();
            }
        }
        assertTrue(launches >= 50 * SHAPES.size(), "recorded only " + launches + " launches");
    }

    @ParameterizedTest
    @MethodSource("devices")
    void transformsUpTo2To16TakeAtMostThreeCommandsWhereTheyFit(GpuTable gpu) {
        PlanRecorder rec = new PlanRecorder(gpu);
        ClFft fft = new ClFft(rec);
        for (Precision p : precisions(gpu)) {
            for (int n = 2; n <= 1 << 16; n <<= 1) {
                for (boolean inverse : new boolean[] {false, true}) {
                    rec.clear();
                    fft.complex(p, rec.caller(p, 2L * 7 * n), 7, n, inverse);
                    String what = gpu + " " + p + " n=" + n + (inverse ? " inverse" : " forward");
                    check(gpu, rec, what);
                    assertTrue(rec.launches.size() + rec.copies <= 3, what + ": " + rec.launches.size() + " launches + "
                        + rec.copies + " copies");
                }
            }
        }
    }

    /**
     * The channel mixing of the sMNIST (B=32, ℓ=784) and IMDB (B=16, ℓ=1024) models, H=64, a linear layer H → 2H
     * (GLU) and 2H → H: its forward, weight gradient (batches summed) and input gradient, as {@code gemm} launches.
     */
    @ParameterizedTest
    @MethodSource("devices")
    void gemmAtTheModelShapesFitsTheDevice(GpuTable gpu) {
        PlanRecorder rec = new PlanRecorder(gpu);
        ClComposites cs = new ClComposites(rec, new ClFft(rec));
        int[][] models = {{32, 784}, {16, 1024}};
        int h = 64;
        for (Precision p : precisions(gpu)) {
            for (int[] bl : models) {
                int batch = bl[0];
                int ell = bl[1];
                for (int[] io : new int[][] {{h, 2 * h}, {2 * h, h}}) {
                    int in = io[0];
                    int out = io[1];
                    rec.clear();
                    GemmShape fwd = GemmShape.of(false, false, out, ell, in).batched(batch, 0, in * ell, out * ell);
                    GemmShape gw = GemmShape.of(false, true, out, in, ell).batched(batch, out * ell, in * ell, 0).scaled(1, 1);
                    GemmShape gx = GemmShape.of(true, false, in, ell, out).batched(batch, 0, out * ell, in * ell);
                    ClBuffer w = rec.caller(p, (long) out * in);
                    ClBuffer x = rec.caller(p, (long) batch * in * ell);
                    ClBuffer y = rec.caller(p, (long) batch * out * ell);
                    cs.gemm(fwd, w, x, y);
                    cs.gemm(gw, y, x, rec.caller(p, (long) out * in));
                    cs.gemm(gx, w, y, x);
                    String what = p + " B=" + batch + " ℓ=" + ell + " " + in + "→" + out;
                    check(gpu, rec, what);
                    assertEquals(3, rec.launches.size(), what);
                    for (PlanRecorder.Launch l : rec.launches) {
                        long group = l.plan().local()[0] * l.plan().local()[1];
                        assertTrue(group >= Math.min(64, LaunchPlanner.groupCap(gpu.limits(), gpu.kernel())),
                            what + ": a work-group of only " + group);
                    }
                }
            }
        }
    }

    /**
     * The activations of the sMNIST (B=32, ℓ=784) and IMDB (B=16, ℓ=1024) models, H=64: GELU and its backward
     * on (B, H, ℓ), GLU from (B, 2H, ℓ) and its backward, as planned launches over their extents.
     */
    @ParameterizedTest
    @MethodSource("devices")
    void activationsAtTheModelShapesFitTheDevice(GpuTable gpu) {
        PlanRecorder rec = new PlanRecorder(gpu);
        ClComposites cs = new ClComposites(rec, new ClFft(rec));
        int[][] models = {{32, 784}, {16, 1024}};
        int h = 64;
        for (Precision p : precisions(gpu)) {
            for (int[] bl : models) {
                int batch = bl[0];
                int ell = bl[1];
                rec.clear();
                ActivationShape gelu = new ActivationShape(batch, h, ell);
                ActivationShape glu = new ActivationShape(batch, 2 * h, ell);
                ClBuffer x = rec.caller(p, gelu.count());
                ClBuffer dy = rec.caller(p, gelu.count());
                ClBuffer dx = rec.caller(p, gelu.count());
                cs.gelu(gelu, x, dx);
                cs.geluBackward(gelu, x, dy, dx);
                ClBuffer x2 = rec.caller(p, glu.count());
                ClBuffer dx2 = rec.caller(p, glu.count());
                cs.glu(glu, x2, dy);
                cs.gluBackward(glu, x2, dy, dx2);
                String what = p + " B=" + batch + " ℓ=" + ell + " activations";
                check(gpu, rec, what);
                assertEquals(4, rec.launches.size(), what);
                assertEquals(java.util.List.of(ClKernel.GELU, ClKernel.GELU_BACKWARD, ClKernel.GLU, ClKernel.GLU_BACKWARD),
                    rec.launches.stream().map(PlanRecorder.Launch::kernel).toList(), what);
            }
        }
    }

    // ---- optimiser and linear-algebra glue (issue 15)

    /**
     * The optimiser glue of the sMNIST (B=32, ℓ=784) and IMDB (B=16, ℓ=1024) models, H=64: the bias add and gradient
     * of a linear layer to 2H and to H channels, the residual add over (B, H, ℓ), and the squared norm and AdamW
     * update of a 2H×H weight (8192 elements), of a bias (64) and of a flat buffer of 10⁶ parameters.
     */
    @ParameterizedTest
    @MethodSource("devices")
    void optimiserAtTheModelShapesFitsTheDevice(GpuTable gpu) {
        PlanRecorder rec = new PlanRecorder(gpu);
        ClComposites cs = new ClComposites(rec, new ClFft(rec));
        int[][] models = {{32, 784}, {16, 1024}};
        int h = 64;
        for (Precision p : precisions(gpu)) {
            for (int[] bl : models) {
                rec.clear();
                int batch = bl[0];
                int ell = bl[1];
                for (int c : new int[] {2 * h, h}) {
                    BiasShape bs = new BiasShape(batch, c, ell);
                    ClBuffer y = rec.caller(p, bs.count());
                    ClBuffer bias = rec.caller(p, c);
                    cs.biasAdd(bs, bias, y, false);
                    cs.biasGrad(bs, y, bias);
                }
                int n = batch * h * ell;
                cs.axpy(AxpyShape.of(n), 1.0, rec.caller(p, n), rec.caller(p, n));
                ClBuffer partials = rec.caller(p, 3);
                AdamWStep st = AdamWStep.of(1e-3, 0.01, 0.9, 0.999, 1e-8, 1, 1.0);
                int slot = 0;
                for (int count : new int[] {2 * h * h, h, 1_000_000}) {
                    ClBuffer g = rec.caller(p, count);
                    cs.sumSquares(Span.of(count), g, partials, slot++);
                    cs.adamW(Span.of(count), st, rec.caller(p, count), g, rec.caller(p, count), rec.caller(p, count), partials, 3);
                }
                String what = p + " B=" + batch + " ℓ=" + ell + " optimiser";
                check(gpu, rec, what);
                assertEquals(2 * 3 + 1 + 3 * 3, rec.launches.size(), what);
                for (PlanRecorder.Launch l : rec.launches) {
                    if (l.kernel() == ClKernel.BIAS_ROW_SUMS || l.kernel() == ClKernel.SUM_SQUARES_CHUNKS) {
                        assertTrue(l.plan().local()[0] >= Math.min(64, LaunchPlanner.groupCap(gpu.limits(), gpu.kernel())),
                            what + ": " + l.kernel() + " in work-groups of only " + l.plan().local()[0]);
                    }
                }
            }
        }
    }

    // ---- normalisation and dropout (issue 15)

    /**
     * The normalisation and dropout of the sMNIST (B=32, ℓ=784) and IMDB (B=16, ℓ=1024) models, H=64, and of the
     * LRA shapes (up to B=64, H=512, ℓ=16384): LayerNorm and BatchNorm (training with lengths, and eval) with
     * their backwards, the padding mask, dropout untied and tied, as planned launches over their extents.
     */
    @ParameterizedTest
    @MethodSource("devices")
    void normsAtTheModelShapesFitTheDevice(GpuTable gpu) {
        PlanRecorder rec = new PlanRecorder(gpu);
        ClNorms ns = new ClNorms(rec);
        int[][] models = {{32, 64, 784}, {16, 64, 1024}, {64, 256, 1024}, {50, 512, 1024}, {16, 256, 16384}};
        for (Precision p : precisions(gpu)) {
            for (int[] m : models) {
                rec.clear();
                org.rtf4j.kernels.dense.NormShape s = new org.rtf4j.kernels.dense.NormShape(m[0], m[1], m[2]);
                ClBuffer x = rec.caller(p, s.count());
                ClBuffer y = rec.caller(p, s.count());
                ClBuffer dx = rec.caller(p, s.count());
                ClBuffer g = rec.caller(p, s.channels());
                ClBuffer b = rec.caller(p, s.channels());
                ClBuffer mean = rec.caller(p, s.positions());
                ClBuffer invStd = rec.caller(p, s.positions());
                ClBuffer lengths = rec.caller(Precision.F32, s.batch());
                ns.layerNorm(s, x, g, b, y, mean, invStd);
                ns.layerNormBackward(s, x, g, mean, invStd, y, dx, g, b);
                for (boolean training : new boolean[] {true, false}) {
                    ns.batchNorm(s, training, x, lengths, g, b, g, b, y, mean, invStd);
                    ns.batchNormBackward(s, training, x, lengths, g, mean, invStd, y, dx, g, b);
                }
                ns.batchNorm(s, true, x, null, g, b, g, b, y, mean, invStd);
                ns.maskPadding(s, lengths, dx);
                org.rtf4j.kernels.dense.DropoutShape d = new org.rtf4j.kernels.dense.DropoutShape(m[0], m[1], m[2], 0.1, false,
                    1, 2, 3);
                ns.dropout(d, x, y);
                ns.dropout(d.withTied(), y, y);
                String what = p + " B=" + m[0] + " H=" + m[1] + " ℓ=" + m[2] + " norms";
                check(gpu, rec, what);
                assertEquals(3 + 2 * 5 + 3 + 2 + 5 + 1 + 2, rec.launches.size(), what);
            }
        }
    }

    // ---- ends of the model: embedding, pooling, losses (issue 15)

    /**
     * The ends of the sMNIST (B=32, ℓ=784, 10 classes) and IMDB (B=16, ℓ=1024, vocabulary 256, 2 classes) models,
     * H=64, and a per-position task of the same size (a vocabulary of 256 predicted at every position): the embedding
     * and its backward, mean and last pooling and their backwards, cross-entropy per sequence and per position and
     * MSE, as planned launches.
     */
    @ParameterizedTest
    @MethodSource("devices")
    void theEndsAtTheModelShapesFitTheDevice(GpuTable gpu) {
        PlanRecorder rec = new PlanRecorder(gpu);
        ClComposites cs = new ClComposites(rec, new ClFft(rec));
        int[][] models = {{32, 784, 10}, {16, 1024, 2}};
        int h = 64;
        int vocabulary = 256;
        for (Precision p : precisions(gpu)) {
            for (int[] m : models) {
                int batch = m[0];
                int ell = m[1];
                int classes = m[2];
                rec.clear();
                EmbeddingShape es = new EmbeddingShape(batch, ell, vocabulary, h);
                ClBuffer tokens = rec.caller(Precision.F32, es.positions());
                ClBuffer lengths = rec.caller(Precision.F32, batch);
                ClBuffer table = rec.caller(p, es.tableCount());
                ClBuffer x = rec.caller(p, es.outputCount());
                cs.embedding(es, tokens, table, x);
                cs.embeddingBackward(es, rec.caller(Precision.F32, es.positions()), rec.caller(Precision.F32, vocabulary + 1L), x, table);
                ClBuffer pooled = rec.caller(p, (long) batch * h);
                for (PoolShape.Mode mode : PoolShape.Mode.values()) {
                    PoolShape ps = new PoolShape(batch, h, ell, mode);
                    cs.pool(ps, lengths, x, pooled);
                    cs.poolBackward(ps, lengths, pooled, x);
                }
                ClBuffer scalars = rec.caller(p, LossShape.SCALARS);
                LossShape seq = LossShape.perSequence(batch, classes);
                ClBuffer logits = rec.caller(p, seq.count());
                cs.crossEntropy(seq, logits, rec.caller(Precision.F32, batch), 1.0 / batch, logits, scalars, 0);
                LossShape pos = new LossShape(batch, vocabulary, ell);
                ClBuffer outputs = rec.caller(p, pos.count());
                cs.crossEntropy(pos, outputs, tokens, 1.0 / pos.positions(), outputs, scalars, 0);
                cs.mse(pos, outputs, rec.caller(p, pos.count()), lengths, 1.0 / pos.count(), outputs, scalars, 0);
                String what = p + " B=" + batch + " ℓ=" + ell + " ends";
                check(gpu, rec, what);
                assertEquals(2 + 4 + 3 * 3, rec.launches.size(), what);
            }
        }
    }

    /** What a forward + backward of RTF, S4D and S4 layers of this shape launch, as the layers call them. */
    private static void runLayers(PlanRecorder rec, ClComposites cs, ClFft fft, Precision p, Shape s) {
        int h = s.channels();
        ConvShape conv = new ConvShape(s.batch(), h, s.length(), s.bidirectional(),
            (int) OpenClBackend.powerOfTwoFftLength(s.length()));
        ClBuffer kf = rec.caller(p, conv.kernelLength());
        ClBuffer kb = s.bidirectional() ? rec.caller(p, conv.kernelLength()) : null;
        ClBuffer ks = rec.caller(p, conv.kernelSpectrumLength());
        ClBuffer us = rec.caller(p, conv.signalSpectrumLength());
        ClBuffer u = rec.caller(p, conv.signalLength());
        ClBuffer y = rec.caller(p, conv.signalLength());
        ClBuffer dkf = rec.caller(p, conv.kernelLength());
        ClBuffer dkb = s.bidirectional() ? rec.caller(p, conv.kernelLength()) : null;
        int before = rec.launches.size();
        cs.fftConv(conv, kf, kb, u, y, ks, us);
        cs.fftConvBackward(conv, ks, us, y, u, dkf, dkb);
        for (PlanRecorder.Launch l : rec.launches.subList(before, rec.launches.size())) {
            assertTrue(!FftKernels.BLUESTEIN.contains(l.kernel().functionName()), p + " " + s + ": the convolution launches " + l.kernel());
        }
        // RTF: one denominator per channel, the kernel by an inverse real transform of its spectrum
        RationalShape rs = new RationalShape(h, h, s.order(), s.length());
        int bins = rs.bins();
        ClBuffer a = rec.caller(p, (long) h * s.order());
        ClBuffer margin = rec.caller(p, h);
        ClBuffer b = rec.caller(p, (long) h * s.order());
        ClBuffer h0 = rec.caller(p, h);
        ClBuffer sa = rec.caller(p, 2L * bins * h);
        ClBuffer sb = rec.caller(p, 2L * bins * h);
        ClBuffer sk = rec.caller(p, 2L * bins * h);
        ClBuffer mm = rec.caller(p, 2L * h);
        cs.rationalSpectrum(rs, a, margin, b, h0, sa, sb, sk, mm);
        fft.realInverse(p, rs.fftLength(), h, sk, kf, s.length(), s.length());
        cs.rationalSpectrumBackward(rs, dkf, s.length(), sa, sb, rec.caller(p, (long) h * s.order()),
            rec.caller(p, (long) h * s.order()), rec.caller(p, h), rec.caller(p, rs.backwardWorkLength()));
        // S4D and S4 with N/2 modes
        ModalShape ms = new ModalShape(h, Math.max(1, s.order() / 2), s.length());
        ClBuffer z = rec.caller(p, ms.modalLength());
        ClBuffer c = rec.caller(p, ms.modalLength());
        ClBuffer d = rec.caller(p, h);
        cs.vandermonde(ms, z, c, d, kf);
        cs.vandermondeBackward(ms, z, dkf, rec.caller(p, ms.modalLength()), rec.caller(p, ms.modalLength()), d);
        ClBuffer v = rec.caller(p, 4L * ms.modalLength());
        ClBuffer kh = rec.caller(p, ms.spectrumLength());
        cs.cauchy(ms, z, v, d, kh);
        cs.cauchyBackward(ms, z, v, kh, rec.caller(p, 4L * ms.modalLength()), rec.caller(p, ms.modalLength()),
            rec.caller(p, h), rec.caller(p, h));
    }

    private static void check(GpuTable gpu, PlanRecorder rec, String what) {
        DeviceLimits d = gpu.limits();
        long cap = LaunchPlanner.groupCap(d, gpu.kernel());
        for (PlanRecorder.Launch l : rec.launches) {
            LaunchPlanner.Plan p = l.plan();
            String at = gpu + " " + what + " " + l.kernel() + " " + p;
            long group = 1;
            for (int i = 0; i < p.global().length; i++) {
                assertEquals(0, p.global()[i] % p.local()[i], at);
                assertTrue(p.global()[i] >= l.extents()[i], at);
                group *= p.local()[i];
            }
            assertTrue(group <= cap && p.local()[0] <= d.maxWorkItemSizeX(), at);
            assertTrue(p.localBytes() <= d.localMemBytes(), at);
        }
        for (long bytes : rec.bufferBytes) {
            assertTrue(bytes <= d.maxAllocBytes(), gpu + " " + what + ": a buffer of " + bytes + " bytes");
        }
    }
}
