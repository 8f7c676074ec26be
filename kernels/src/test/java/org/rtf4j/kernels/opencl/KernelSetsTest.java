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
import org.rtf4j.kernels.dense.GemmShape;
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
    abstract static class OnlyComplexFft extends AbstractBackend<DeviceBuffer> {
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
    }
}
