package org.rtf4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.opencl.OpenClBackend;
import org.rtf4j.kernels.testing.OpenClTesting;
import org.rtf4j.kernels.testing.WithBothBackends;
import org.rtf4j.layer.ConvolutionalLayer;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.Parameter;
import org.rtf4j.rtf.RtfConfig;
import org.rtf4j.rtf.RtfLayer;

/**
 * The device-buffer forward and backward of every layer kind: bit-identical to the host-array forms on the
 * same backend (the same kernels, without the signals' round trips), on the JVM and on OpenCL; on OpenCL
 * no signal crosses the bus (only parameters, RTF's denominator magnitudes and the parameter gradients);
 * bad buffers are refused in one line.
 */
class DeviceSignalsTest extends WithBothBackends {



    private static ConvolutionalLayer make(LayerKind kind, Backend be, Precision p, boolean bi) {
        if (kind == LayerKind.RTF) {
            return new RtfLayer(RtfConfig.builder(4, 6, 100).numA(2).bidirectional(bi).init(RtfConfig.Init.MONTEL)
                .constraint(RtfConfig.Constraint.L1_MONTEL).precision(p).seed(7).build(), be);
        }
        return (ConvolutionalLayer) SequenceLayers.create(new LayerSpec(kind, 4, 8, 100, bi, p, 7).ssm().withDt(0.01, 0.1), be);
    }

    @ParameterizedTest(name = "{0} bi={1} {2}")
    @CsvSource({"RTF, false, F32", "RTF, true, F64", "S4D, false, F64", "S4D, true, F32", "S4, false, F32", "S4, true, F64"})
    void theDevicePathGivesTheHostPathsBitsOnBothBackends(LayerKind kind, boolean bi, Precision p) {
        int batch = 3;
        int len = 97;
        int n = batch * 4 * len;
        SplittableRandom r = new SplittableRandom(5);
        float[] u = new float[n];
        float[] gy = new float[n];
        for (int i = 0; i < n; i++) {
            u[i] = (float) r.nextDouble(-1, 1);
            gy[i] = (float) r.nextDouble(-1, 1);
        }
        for (Backend be : List.of(jvm, cl)) {
            if (be == cl) {
                OpenClTesting.assumeFloat64(cl, p);
            }
            try (ConvolutionalLayer host = make(kind, be, p, bi); ConvolutionalLayer dev = make(kind, be, p, bi);
                 DeviceBuffer bu = be.allocate(p, n); DeviceBuffer by = be.allocate(p, n + 5);
                 DeviceBuffer bgy = be.allocate(p, n); DeviceBuffer bdu = be.allocate(p, n)) {
                float[] yHost = new float[n];
                float[] duHost = new float[n];
                host.zeroGrad();
                host.forward(u, batch, len, yHost);
                host.backward(gy, duHost);

                be.write(bu, 0, u, 0, n);
                be.write(bgy, 0, gy, 0, n);
                dev.zeroGrad();
                if (be == cl) {
                    cl.profiler().reset();
                }
                dev.forward(bu, batch, len, by);
                dev.backward(bgy, bdu);
                if (be == cl) {
                    long signalBytes = (long) n * p.bytes();
                    long params = 0;
                    for (Parameter q : dev.parameters()) {
                        params += q.size();
                    }
                    // parameters (or what the layer derives from them) go up, their gradients come down: far less
                    // than one signal, and no signal crosses
                    long moved = cl.profiler().bytesToDevice() + cl.profiler().bytesToHost();
                    org.junit.jupiter.api.Assertions.assertTrue(moved < signalBytes,
                        kind + ": " + moved + " bytes crossed the bus, a signal is " + signalBytes + " (parameters "
                            + params + ")\n" + cl.profiler().table());
                    // RTF reads its denominator magnitudes in the forward; every kind its gradients in the backward
                    assertEquals(kind == LayerKind.RTF ? 2 : 1, cl.profiler().hostWaits(), cl.profiler().table());
                }
                float[] y = new float[n];
                float[] du = new float[n];
                be.read(by, 0, y, 0, n);
                be.read(bdu, 0, du, 0, n);
                assertArrayEquals(yHost, y, be.name() + " " + kind + ": y");
                assertArrayEquals(duHost, du, be.name() + " " + kind + ": du");
                for (int k = 0; k < host.parameters().size(); k++) {
                    assertArrayEquals(host.parameters().get(k).grad(), dev.parameters().get(k).grad(),
                        be.name() + " " + kind + ": gradient of " + host.parameters().get(k).name());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"RTF", "S4D", "S4"})
    void badBuffersAreRefusedInOneLine(LayerKind kind) {
        try (ConvolutionalLayer layer = make(kind, jvm, Precision.F32, false);
             DeviceBuffer small = jvm.allocate(Precision.F32, 10); DeviceBuffer f64 = jvm.allocate(Precision.F64, 800);
             DeviceBuffer ok = jvm.allocate(Precision.F32, 800); DeviceBuffer ok2 = jvm.allocate(Precision.F32, 800)) {
            assertEquals("u has 10 elements, expected at least B*H*ell = 2*4*100 = 800",
                assertThrows(IllegalArgumentException.class, () -> layer.forward(small, 2, 100, ok)).getMessage());
            assertEquals("y is F64, expected the layer's F32",
                assertThrows(IllegalArgumentException.class, () -> layer.forward(ok, 2, 100, f64)).getMessage());
            assertEquals("u and y must be different buffers",
                assertThrows(IllegalArgumentException.class, () -> layer.forward(ok, 2, 100, ok)).getMessage());
            assertEquals("backward needs a preceding forward pass",
                assertThrows(IllegalStateException.class, () -> layer.backward(ok, ok2)).getMessage());
            layer.forward(ok, 2, 100, ok2);
            assertEquals("gy and du must be different buffers",
                assertThrows(IllegalArgumentException.class, () -> layer.backward(ok, ok)).getMessage());
        }
    }
}
