package org.rtf4j.models;

import org.rtf4j.kernels.backend.Backend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.opencl.OpenClBackend;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.OpenClTesting;
import org.rtf4j.kernels.testing.WithBothBackends;
import org.rtf4j.layer.ConvolutionalLayer;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.Parameter;
import org.rtf4j.rtf.RtfConfig;
import org.rtf4j.rtf.RtfLayer;

/**
 * Every layer kind, forward and backward, equal on the JVM and OpenCL backends; the device-resident
 * pipeline moves only inputs, outputs, parameters and gradients across the bus (bytes counted by the
 * profiler); device timers are consistent with wall time.
 */
class DeviceLayersTest extends WithBothBackends {



    private static ConvolutionalLayer make(LayerKind kind, org.rtf4j.kernels.backend.Backend be, Precision p, boolean bi) {
        if (kind == LayerKind.RTF) {
            return new RtfLayer(RtfConfig.builder(4, 6, 100).numA(2).bidirectional(bi).init(RtfConfig.Init.MONTEL)
                .constraint(RtfConfig.Constraint.L1_MONTEL).precision(p).seed(7).build(), be);
        }
        LayerSpec spec = new LayerSpec(kind, 4, 8, 100, bi, p, 7);
        return (ConvolutionalLayer) SequenceLayers.create(spec.ssm().withDt(0.01, 0.1), be);
    }

    @ParameterizedTest(name = "{0} bi={1} {2}")
    @CsvSource({"RTF, false, F32", "RTF, true, F64", "S4D, false, F32", "S4D, true, F64", "S4, false, F64", "S4, true, F32"})
    void forwardAndBackwardMatchTheJvm(LayerKind kind, boolean bi, Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        int batch = 3;
        int len = 97;
        SplittableRandom r = new SplittableRandom(11);
        double[] u = new double[batch * 4 * len];
        double[] gy = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = r.nextDouble(-1, 1);
            gy[i] = r.nextDouble(-1, 1);
        }
        double[][] results = new double[2][];
        double[][][] grads = new double[2][][];
        ConvolutionalLayer[] layers = {make(kind, jvm, p, bi), make(kind, cl, p, bi)};
        for (int b = 0; b < 2; b++) {
            ConvolutionalLayer layer = layers[b];
            double[] y = layer.forward(u, batch, len);
            double[] du = new double[u.length];
            layer.zeroGrad();
            layer.backward(gy, du);
            results[b] = concat(y, du);
            grads[b] = layer.parameters().stream().map(Parameter::grad).map(double[]::clone).toArray(double[][]::new);
        }
        double vt = Check.gradients(p, 2 * len) * (p == Precision.F64 ? 1 : 10);
        Check.close(kind + " y and du", results[1], results[0], vt);
        for (int i = 0; i < grads[0].length; i++) {
            Check.close(kind + " gradient " + layers[0].parameters().get(i).name(), grads[1][i], grads[0][i],
                p == Precision.F64 ? 1e-9 : 1e-2);
        }
        layers[0].close();
        layers[1].close();
    }

    /**
     * Every layer kind blocks on the device once per call (issue 18, acceptance 4): a forward on the read of
     * y, a backward on the read of du, {@code kernelAndGradient} on its first deferred result; everything
     * else they read back (denominator magnitudes, the kernels' parameter gradients) the final read completed.
     */
    @ParameterizedTest(name = "{0} bi={1}")
    @CsvSource({"RTF, false", "RTF, true", "S4D, false", "S4D, true", "S4, false", "S4, true"})
    void everyLayerCallBlocksOnTheDeviceOnce(LayerKind kind, boolean bi) {
        int batch = 2;
        int len = 64;
        try (ConvolutionalLayer layer = make(kind, cl, Precision.F32, bi)) {
            float[] u = new float[batch * 4 * len];
            java.util.Arrays.fill(u, 0.5f);
            float[] y = new float[u.length];
            float[] du = new float[u.length];
            layer.forward(u, batch, len, y);
            layer.backward(y, du);
            String[] calls = {"forward", "backward", "kernelAndGradient"};
            Runnable[] runs = {() -> layer.forward(u, batch, len, y), () -> layer.backward(y, du),
                () -> layer.kernelAndGradient(len)};
            for (int i = 0; i < calls.length; i++) {
                cl.profiler().reset();
                runs[i].run();
                assertEquals(1, cl.profiler().hostWaits(), kind + " " + calls[i] + "\n" + cl.profiler().table());
            }
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void onlyInputsOutputsParametersAndGradientsCrossTheBus() {
        int batch = 2;
        int h = 4;
        int len = 100;
        int order = 6;
        int numA = 2;
        try (RtfLayer layer = new RtfLayer(RtfConfig.builder(h, order, len).numA(numA).init(RtfConfig.Init.MONTEL)
            .precision(Precision.F32).build(), cl)) {
            double[] u = new double[batch * h * len];
            java.util.Arrays.fill(u, 0.5);
            layer.forward(u, batch, len);
            layer.backward(u, new double[u.length]);
            cl.profiler().reset();
            long t0 = System.nanoTime();
            layer.forward(u, batch, len);
            layer.zeroGrad();
            layer.backward(u, new double[u.length]);
            long wall = System.nanoTime() - t0;
            int e = 4; // float32 bytes
            long params = (long) numA * order + numA + (long) h * order + h; // a, margins, b, h0 uploaded each forward
            long toDevice = (params + (long) batch * h * len              // forward: parameters, u
                + (long) batch * h * len) * e;                               // backward: gy
            long toHost = ((long) batch * h * len + 2L * numA                // forward: y, denominator magnitudes
                + (long) batch * h * len + numA * order + h * order + h) * e; // backward: du, da, db, dh0
            assertEquals(toDevice, cl.profiler().bytesToDevice(), cl.profiler().table());
            assertEquals(toHost, cl.profiler().bytesToHost(), cl.profiler().table());
            long device = cl.profiler().summary().stream().mapToLong(x -> x.totalNanos()).sum();
            assertTrue(device > 0 && device <= wall, "device time " + device + " ns must be in (0, wall " + wall + " ns]");
        }
    }

    @Test
    void chromeTraceIsValidTraceEventJson() throws Exception {
        try (RtfLayer layer = new RtfLayer(RtfConfig.builder(2, 3, 32).precision(Precision.F32).build(), cl)) {
            cl.profiler().reset();
            cl.profiler().setTracing(true);
            layer.forward(new double[2 * 32], 1, 32);
            cl.profiler().setTracing(false);
            java.io.StringWriter w = new java.io.StringWriter();
            cl.profiler().writeChromeTrace(w, "test");
            com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(w.toString());
            com.fasterxml.jackson.databind.JsonNode events = root.get("traceEvents");
            assertTrue(events.isArray() && events.size() > 5, "events: " + events.size());
            int kernels = 0;
            for (com.fasterxml.jackson.databind.JsonNode e : events) {
                if ("X".equals(e.path("ph").asText())) {
                    assertTrue(e.get("ts").isNumber() && e.get("dur").asDouble() >= 0 && e.has("name"), e.toString());
                    kernels += "KERNEL".equals(e.path("cat").asText()) ? 1 : 0;
                }
            }
            assertTrue(kernels > 0, "no kernel events in the trace");
            assertEquals(cl.profiler().events().size(), events.size() - 1);
        }
    }
}
