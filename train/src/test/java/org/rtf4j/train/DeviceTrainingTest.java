package org.rtf4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.opencl.OpenClBackend;
import org.rtf4j.kernels.testing.OpenClTesting;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.train.nn.ModelConfig;

/**
 * Training on an OpenCL device follows the JVM backend's loss curve (the whole model in float32; 1e-4
 * relative per step over 5 steps of a bidirectional model of each kind) and ran on the device; a step moves
 * only the batch, the SSM layers' few parameters and their gradients, and a few scalars over the bus.
 */
class DeviceTrainingTest {

    @Test
    void deviceTrainingFollowsTheJvmCurve() {
        for (LayerKind kind : LayerKind.values()) {
            ModelConfig m = ModelConfig.standard(kind, 2, 8, 4).withBidirectional(true).withPrecision(Precision.F32);
            TrainConfig c = new TrainConfig("sign", Map.of(), m, 8, 1, 5, 0.01, 0.0, 0.01, 0.0, 1, 1.0, 0.0, 0, 16, 0, 5);
            List<Double> jvm = curve(c, JvmBackend.withThreads(2));
            OpenClBackend cl = OpenClTesting.backend();
            long before = cl.profiler().kernelLaunches();
            List<Double> dev = curve(c, cl);
            try (cl) {
                OpenClTesting.assertRanOnDevice(cl, before);
            }
            for (int i = 0; i < jvm.size(); i++) {
                assertEquals(jvm.get(i), dev.get(i), 1e-4 * Math.abs(jvm.get(i)), kind + " step " + (i + 1));
            }
        }
    }

    private static List<Double> curve(TrainConfig c, org.rtf4j.kernels.backend.Backend be) {
        List<Double> losses = new ArrayList<>();
        try (Trainer t = new Trainer(c, new SignTask(false), be, null, new Trainer.Listener() {
            @Override
            public void step(long step, double loss, double accuracy, double lr) {
                losses.add(loss);
            }
        })) {
            t.run(Long.MAX_VALUE);
        } finally {
            if (be instanceof JvmBackend) {
                be.close();
            }
        }
        return losses;
    }

    @Test
    void aStepMovesTheBatchTheSsmParametersAndAFewScalars() {
        int batch = 8;
        int h = 8;
        ModelConfig m = ModelConfig.standard(LayerKind.RTF, 2, h, 4).withPrecision(Precision.F32);
        TrainConfig c = new TrainConfig("sign", Map.of(), m, batch, 1, 5, 0.01, 0.0, 0.01, 0.0, 1, 1.0, 0.0, 0, 16, 0, 5);
        try (OpenClBackend cl = OpenClTesting.backend(); Trainer t = new Trainer(c, new SignTask(false), cl, null, null)) {
            t.update();
            cl.profiler().reset();
            t.update();
            SignTask task = new SignTask(false);
            int len = task.spec().maxLength();
            long ssm = 0;
            for (org.rtf4j.layer.Parameter p : t.model().ssmParameters().values()) {
                ssm += p.size();
            }
            long weights = t.model().weights().size();
            long e = 4;
            // in: features, lengths, labels; the SSM layers' parameters (or what they derive from them, at most
            // twice as many values); the SSM group's squared norm
            long in = e * ((long) batch * task.spec().inputChannels() * len + 2L * batch + 2 * ssm + 1);
            // out: the loss scalars, the squared norms, the SSM gradients, RTF's two magnitudes a denominator row
            long out = e * (4 + weights + 1 + 2 * ssm + 2L * 2 * h);
            assertTrue(cl.profiler().bytesToDevice() <= in, cl.profiler().bytesToDevice() + " bytes in, at most " + in
                + "\n" + cl.profiler().table());
            assertTrue(cl.profiler().bytesToHost() <= out, cl.profiler().bytesToHost() + " bytes out, at most " + out
                + "\n" + cl.profiler().table());
        }
    }
}
