package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.AbstractBackend;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.KernelId;
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
import org.rtf4j.kernels.dense.TokenGroups;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.profile.ProfileRecord;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.kernels.spectral.RationalShape;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.OpenClTesting;

/**
 * Every {@link KernelId} has a JVM kernel and an OpenCL twin, with both sets read from the code: the
 * backends' {@code kernels()} from the run methods their classes define, and what actually runs from
 * the profiles of calling every seam method once on each backend.
 */
class KernelSetsTest {

    @Test
    void everyKernelIdIsASeamMethodAndARunMethod() throws Exception {
        for (KernelId id : KernelId.values()) {
            assertTrue(java.util.Arrays.stream(Backend.class.getMethods()).anyMatch(m -> m.getName().equals(id.kernelName())),
                "Backend has no method " + id.kernelName() + " for " + id);
        }
        Set<String> runMethods = new TreeSet<>();
        for (Method m : AbstractBackend.class.getDeclaredMethods()) {
            if (Modifier.isAbstract(m.getModifiers()) && m.getName().startsWith("run")) {
                runMethods.add(m.getName());
            }
        }
        Set<String> expected = new TreeSet<>();
        for (KernelId id : KernelId.values()) {
            expected.add(AbstractBackend.runMethodName(id));
        }
        assertEquals(expected, runMethods, "AbstractBackend's abstract run methods and the KernelIds");
    }

    /** A backend class that defines one run method only. */
    abstract static class OnlyComplexFft extends AbstractBackend<DeviceBuffer, org.rtf4j.kernels.backend.IndexBuffer> {
        @Override
        protected void runFftComplex(int n, int rows, DeviceBuffer data, boolean inverse) {
        }
    }

    @Test
    void theSetIsWhatAClassDefines() {
        assertEquals(EnumSet.of(KernelId.FFT_COMPLEX), AbstractBackend.implementedBy(OnlyComplexFft.class));
        assertEquals(EnumSet.allOf(KernelId.class), AbstractBackend.implementedBy(JvmBackend.class));
        assertEquals(EnumSet.allOf(KernelId.class), AbstractBackend.implementedBy(OpenClBackend.class));
    }

    @Test
    void theDeviceRunsATwinOfEveryKernelTheJvmRunsAndEveryDeviceKernelIsUsed() {
        try (JvmBackend jvm = JvmBackend.withThreads(1); OpenClBackend cl = OpenClTesting.backend()) {
            assertEquals(jvm.kernels(), cl.kernels());
            jvm.setProfiling(true);
            cl.profiler().setTracing(true);
            callEverything(jvm);
            callEverything(cl);
            cl.setLocalFftLimit(0);
            callEverything(cl);
            Set<KernelId> ranOnJvm = EnumSet.noneOf(KernelId.class);
            for (var e : jvm.profiler().summary()) {
                for (KernelId id : KernelId.values()) {
                    if (e.kind().equals("KERNEL") && e.name().equals(id.kernelName())) {
                        ranOnJvm.add(id);
                    }
                }
            }
            Set<KernelId> ranOnDevice = EnumSet.noneOf(KernelId.class);
            Set<ClKernel> launched = EnumSet.noneOf(ClKernel.class);
            for (ProfileRecord r : cl.profiler().events()) {
                if (!r.kind().equals("KERNEL") || r.name().equals("fill")) {
                    continue;
                }
                for (KernelId id : KernelId.values()) {
                    if (r.op().equals(id.kernelName())) {
                        ranOnDevice.add(id);
                    }
                }
                for (ClKernel k : ClKernel.values()) {
                    if (r.name().equals(k.functionName())) {
                        launched.add(k);
                    }
                }
            }
            assertEquals(jvm.kernels(), ranOnJvm, "kernels timed on the JVM");
            assertEquals(cl.kernels(), ranOnDevice, "kernels that launched device work");
            assertEquals(EnumSet.allOf(ClKernel.class), launched, "OpenCL kernels launched by some KernelId");
        }
    }

    /** Calls every kernel method of the seam once, on shapes that take every path (odd and even, Bluestein, two-sided). */
    private static void callEverything(Backend be) {
        SplittableRandom r = new SplittableRandom(1);
        Precision p = Precision.F32;
        try (DeviceBuffer c = Host.put(be, p, OpenClKernelsTest.random(r, 2 * 12 * 2))) {
            be.fftComplex(12, 2, c, true);
            be.fftComplex(8, 2, c, true);
        }
        for (int n : new int[] {7, 8}) {
            try (DeviceBuffer x = Host.put(be, p, OpenClKernelsTest.random(r, n)); DeviceBuffer s = be.allocate(p, 2 * (n / 2 + 1))) {
                be.fftRealForward(n, 1, x, n, n, s);
                be.fftRealInverse(n, 1, s, x, n, n);
            }
        }
        RationalShape rs = new RationalShape(1, 2, 2, 9);
        try (DeviceBuffer a = Host.put(be, p, new double[] {0.1, 0.05}); DeviceBuffer m = Host.put(be, p, new double[] {0.85});
             DeviceBuffer b = Host.put(be, p, OpenClKernelsTest.random(r, 4));
             DeviceBuffer h0 = be.allocate(p, 2); DeviceBuffer sa = be.allocate(p, 2 * rs.bins()); DeviceBuffer sb = be.allocate(p, 4 * rs.bins());
             DeviceBuffer sk = be.allocate(p, 4 * rs.bins()); DeviceBuffer mm = be.allocate(p, 2);
             DeviceBuffer g = Host.put(be, p, OpenClKernelsTest.random(r, 18)); DeviceBuffer da = be.allocate(p, 2);
             DeviceBuffer db = be.allocate(p, 4); DeviceBuffer dh = be.allocate(p, 2); DeviceBuffer wk = be.allocate(p, rs.backwardWorkLength())) {
            be.rationalSpectrum(rs, a, m, b, h0, sa, sb, sk, mm);
            be.rationalSpectrumBackward(rs, g, 9, sa, sb, da, db, dh, wk);
        }
        ConvShape cs = ConvShape.of(1, 2, 5, true, be);
        try (DeviceBuffer kf = Host.put(be, p, OpenClKernelsTest.random(r, 10)); DeviceBuffer kb = Host.put(be, p, OpenClKernelsTest.random(r, 10));
             DeviceBuffer u = Host.put(be, p, OpenClKernelsTest.random(r, 10)); DeviceBuffer y = be.allocate(p, 10);
             DeviceBuffer ks = be.allocate(p, cs.kernelSpectrumLength()); DeviceBuffer us = be.allocate(p, cs.signalSpectrumLength());
             DeviceBuffer du = be.allocate(p, 10); DeviceBuffer dkf = be.allocate(p, 10); DeviceBuffer dkb = be.allocate(p, 10)) {
            be.fftConv(cs, kf, kb, u, y, ks, us);
            be.fftConvBackward(cs, ks, us, y, du, dkf, dkb);
        }
        ModalShape ms = new ModalShape(2, 3, 10);
        double[] logZ = OpenClKernelsTest.random(r, ms.modalLength());
        for (int i = 0; i < logZ.length; i += 2) {
            logZ[i] = -0.1 - 0.1 * Math.abs(logZ[i]);
        }
        try (DeviceBuffer z = Host.put(be, p, logZ); DeviceBuffer ch = Host.put(be, p, OpenClKernelsTest.random(r, ms.modalLength()));
             DeviceBuffer k = be.allocate(p, ms.kernelLength()); DeviceBuffer s0 = be.allocate(p, ms.modalLength());
             DeviceBuffer s1 = be.allocate(p, ms.modalLength()); DeviceBuffer g0 = be.allocate(p, 2);
             DeviceBuffer v = Host.put(be, p, OpenClKernelsTest.random(r, 4 * ms.modalLength()));
             DeviceBuffer kh = be.allocate(p, ms.spectrumLength()); DeviceBuffer gv = be.allocate(p, 4 * ms.modalLength());
             DeviceBuffer gw = be.allocate(p, ms.modalLength()); DeviceBuffer gam = be.allocate(p, 2)) {
            be.vandermonde(ms, z, ch, null, k);
            be.vandermondeBackward(ms, z, k, s0, s1, g0);
            be.cauchy(ms, z, v, null, kh);
            be.cauchyBackward(ms, z, v, kh, gv, gw, gam, g0);
        }
        GemmShape gs = GemmShape.of(true, false, 3, 5, 4);
        try (DeviceBuffer ga = Host.put(be, p, OpenClKernelsTest.random(r, 12)); DeviceBuffer gb = Host.put(be, p, OpenClKernelsTest.random(r, 20));
             DeviceBuffer gc = be.allocate(p, 15)) {
            be.gemm(gs, ga, gb, gc);
        }
        ActivationShape as = new ActivationShape(2, 4, 3);
        try (DeviceBuffer ax = Host.put(be, p, OpenClKernelsTest.random(r, 24)); DeviceBuffer ay = be.allocate(p, 24);
             DeviceBuffer ag = Host.put(be, p, OpenClKernelsTest.random(r, 12)); DeviceBuffer ad = be.allocate(p, 24)) {
            be.gelu(as, ax, ay);
            be.geluBackward(as, ax, ay, ad);
            be.glu(as, ax, ay);
            be.gluBackward(as, ax, ag, ad);
        }
        // ---- optimiser and linear-algebra glue (issue 15)
        BiasShape bsh = new BiasShape(2, 3, 5);
        try (DeviceBuffer bias = Host.put(be, p, OpenClKernelsTest.random(r, 3)); DeviceBuffer by = Host.put(be, p, OpenClKernelsTest.random(r, 30));
             DeviceBuffer bx = Host.put(be, p, OpenClKernelsTest.random(r, 30)); DeviceBuffer db = be.allocate(p, 3);
             DeviceBuffer part = be.allocate(p, 2); DeviceBuffer m = be.allocate(p, 3); DeviceBuffer v = be.allocate(p, 3)) {
            be.biasAdd(bsh, bias, by, true);
            be.biasGrad(bsh, by, db);
            be.axpy(AxpyShape.of(30), 0.5, bx, by);
            be.sumSquares(Span.of(3), db, part, 0);
            be.adamW(Span.of(3), AdamWStep.of(1e-3, 0.01, 0.9, 0.999, 1e-8, 1, 1.0), bias, db, m, v, part, 1);
        }
        // ---- normalisation and dropout (issue 15)
        org.rtf4j.kernels.dense.NormShape ns = new org.rtf4j.kernels.dense.NormShape(2, 3, 4);
        try (DeviceBuffer nx = Host.put(be, p, OpenClKernelsTest.random(r, 24)); DeviceBuffer ny = be.allocate(p, 24);
             DeviceBuffer ng = Host.put(be, p, new double[] {1, 1.5, 0.5}); DeviceBuffer nb = be.allocate(p, 3);
             DeviceBuffer nm = be.allocate(p, 8); DeviceBuffer ni = be.allocate(p, 8); DeviceBuffer nd = be.allocate(p, 24);
             DeviceBuffer dg = be.allocate(p, 3); DeviceBuffer db = be.allocate(p, 3); DeviceBuffer rm = be.allocate(p, 3);
             DeviceBuffer rv = Host.put(be, p, new double[] {1, 1, 1});
             org.rtf4j.kernels.backend.IndexBuffer len = be.allocateIndices(2)) {
            be.writeIndices(len, 0, new int[] {4, 2}, 0, 2);
            be.layerNorm(ns, nx, ng, nb, ny, nm, ni);
            be.layerNormBackward(ns, nx, ng, nm, ni, ny, nd, dg, db);
            be.batchNorm(ns, true, nx, len, ng, nb, rm, rv, ny, nm, ni);
            be.batchNormBackward(ns, true, nx, len, ng, nm, ni, ny, nd, dg, db);
            be.maskPadding(ns, len, nd);
            be.dropout(new org.rtf4j.kernels.dense.DropoutShape(2, 3, 4, 0.5, false, 1, 2, 3), nx, ny);
            be.dropoutBackward(new org.rtf4j.kernels.dense.DropoutShape(2, 3, 4, 0.5, true, 1, 2, 3), ny, nd);
        }
        // ---- ends of the model: embedding, pooling, losses (issue 15)
        EmbeddingShape es = new EmbeddingShape(2, 3, 4, 5);
        int[] tokens = {0, 3, 1, 1, 2, 0};
        TokenGroups groups = TokenGroups.of(tokens, 4);
        int[] lengths = {3, 1};
        try (org.rtf4j.kernels.backend.IndexBuffer tk = be.allocateIndices(6);
             org.rtf4j.kernels.backend.IndexBuffer order = be.allocateIndices(6);
             org.rtf4j.kernels.backend.IndexBuffer starts = be.allocateIndices(5);
             org.rtf4j.kernels.backend.IndexBuffer len = be.allocateIndices(2);
             DeviceBuffer table = Host.put(be, p, OpenClKernelsTest.random(r, 20)); DeviceBuffer ey = be.allocate(p, 30);
             DeviceBuffer pooled = be.allocate(p, 10); DeviceBuffer dx = be.allocate(p, 30);
             DeviceBuffer targets = Host.put(be, p, OpenClKernelsTest.random(r, 30)); DeviceBuffer sc = be.allocate(p, 4)) {
            be.writeIndices(tk, 0, tokens, 0, 6);
            be.writeIndices(order, 0, groups.order(), 0, 6);
            be.writeIndices(starts, 0, groups.starts(), 0, 5);
            be.writeIndices(len, 0, lengths, 0, 2);
            be.embedding(es, tk, table, ey);
            be.embeddingBackward(es, order, starts, ey, table);
            PoolShape ps = new PoolShape(2, 5, 3, PoolShape.Mode.MEAN);
            be.pool(ps, len, ey, pooled);
            be.poolBackward(ps, len, pooled, dx);
            be.crossEntropy(new LossShape(2, 5, 3), ey, tk, 0.25, dx, sc, 0);
            be.mse(new LossShape(2, 5, 3), ey, targets, len, 0.25, dx, sc, 0);
        }
    }
}
