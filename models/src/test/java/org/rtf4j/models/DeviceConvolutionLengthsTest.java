package org.rtf4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rtf4j.kernels.backend.KernelId;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.fft.ComplexFftPlan;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.opencl.FftKernels;
import org.rtf4j.kernels.opencl.OpenClBackend;
import org.rtf4j.kernels.profile.ProfileRecord;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.OpenClTesting;
import org.rtf4j.kernels.testing.WithBothBackends;
import org.rtf4j.layer.ConvolutionalLayer;
import org.rtf4j.layer.Parameter;
import org.rtf4j.rtf.RtfConfig;
import org.rtf4j.rtf.RtfLayer;

/**
 * The OpenCL convolution runs at power-of-two FFT lengths: an RTF forward + backward at ℓ = 1000 and 2000
 * (7-smooth lengths 2000 and 4000 on the JVM, Bluestein lengths on OpenCL) launches no Bluestein kernel in
 * its convolution operations, gives the JVM backend's results, and holds exactly the buffers its estimate at
 * the device's FFT length predicts. The rational spectrum transforms at P = L (1000, 2000), which the layer's
 * definition fixes, and runs Bluestein there as {@code fftAlgorithm} says: that shows the count sees Bluestein
 * launches.
 */
class DeviceConvolutionLengthsTest extends WithBothBackends {
    private static final Set<String> CONVOLUTION = Set.of(KernelId.FFT_CONV.kernelName(),
        KernelId.FFT_CONV_BACKWARD.kernelName());




    @ParameterizedTest(name = "ell={0} bi={1}")
    @CsvSource({"1000, false", "1000, true", "2000, false", "2000, true"})
    void rtfConvolutionRunsNoBluesteinOnTheDeviceAndMatchesTheJvm(int ell, boolean bi) {
        Precision p = Precision.F32;
        int batch = 2;
        int h = 4;
        RtfConfig config = RtfConfig.builder(h, 8, ell).numA(2).bidirectional(bi).init(RtfConfig.Init.MONTEL)
            .constraint(RtfConfig.Constraint.L1_MONTEL).precision(p).seed(5).build();
        SplittableRandom r = new SplittableRandom(ell + (bi ? 1 : 0));
        double[] u = r.doubles((long) batch * h * ell, -1, 1).toArray();
        double[] gy = r.doubles(u.length, -1, 1).toArray();
        long n = cl.convolutionFftLength(ell);
        assertEquals(ell == 1000 ? 2048 : 4096, n, "OpenCL's convolution FFT length");

        double[][] jvmRun;
        try (RtfLayer layer = new RtfLayer(config, jvm)) {
            jvmRun = run(layer, u, gy, batch, ell);
        }
        double[][] clRun;
        try (RtfLayer layer = new RtfLayer(config, cl)) {
            cl.profiler().reset();
            cl.profiler().setTracing(true);
            try {
                clRun = run(layer, u, gy, batch, ell);
            } finally {
                cl.profiler().setTracing(false);
            }
            OpenClTesting.assertRanOnDevice(cl, 0);
            List<ProfileRecord> kernels = cl.profiler().events().stream().filter(e -> e.kind().equals("KERNEL")).toList();
            List<ProfileRecord> convolution = kernels.stream().filter(e -> CONVOLUTION.contains(e.op())).toList();
            assertTrue(convolution.size() > 0, "no kernel recorded in the convolution operations " + CONVOLUTION);
            assertEquals(0, convolution.stream().map(ProfileRecord::name).filter(FftKernels.BLUESTEIN::contains).count(),
                "Bluestein launches " + FftKernels.BLUESTEIN + " in the convolution at n = " + n + "; its kernels: "
                + convolution.stream().map(ProfileRecord::name).collect(Collectors.toCollection(TreeSet::new)));
            long spectrumBluestein = kernels.stream().filter(e -> e.op().equals(KernelId.RATIONAL_SPECTRUM.kernelName()))
                .map(ProfileRecord::name).filter(FftKernels.BLUESTEIN::contains).count();
            // the rational spectrum's real transform of P = ℓ runs a complex one of ℓ/2 (500, 1000): the count sees
            // Bluestein launches exactly when the backend says that length takes Bluestein
            assertEquals(cl.fftAlgorithm(ell / 2) == ComplexFftPlan.Algorithm.BLUESTEIN, spectrumBluestein > 0,
                spectrumBluestein + " launches of " + FftKernels.BLUESTEIN + " in the rational spectrum at P = " + ell);

            // the layer's device buffers are what its estimate at the device's FFT length says
            long withLayer = cl.liveBytes();
            layer.close();
            assertEquals(RtfLayer.bufferBytes(config) + ConvolutionalLayer.convolutionBytes(batch, h, ell, n, bi, p),
                withLayer - cl.liveBytes(), "device bytes of the layer's buffers");
        }

        // the gradients budget at the longer FFT (2e-5·log2 n, about 2.4e-4); measured on PoCL at most 7.4e-7
        double tol = Check.gradients(p, (int) n);
        Check.close("y at ell=" + ell, clRun[0], jvmRun[0], tol);
        Check.close("du at ell=" + ell, clRun[1], jvmRun[1], tol);
        for (int i = 2; i < jvmRun.length; i++) {
            Check.close("parameter gradient " + (i - 2) + " at ell=" + ell, clRun[i], jvmRun[i], tol);
        }
    }

    /** y, du and every parameter gradient of one forward + backward pass. */
    private static double[][] run(ConvolutionalLayer layer, double[] u, double[] gy, int batch, int ell) {
        double[] y = layer.forward(u, batch, ell);
        double[] du = new double[u.length];
        layer.zeroGrad();
        layer.backward(gy, du);
        List<Parameter> ps = layer.parameters();
        double[][] out = new double[2 + ps.size()][];
        out[0] = y;
        out[1] = du;
        for (int i = 0; i < ps.size(); i++) {
            out[2 + i] = ps.get(i).grad().clone();
        }
        return out;
    }
}
