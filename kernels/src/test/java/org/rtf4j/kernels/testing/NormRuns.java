package org.rtf4j.kernels.testing;

import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.IndexBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.DropoutShape;
import org.rtf4j.kernels.dense.NormShape;

/**
 * Runs the normalisation and dropout kernels of any backend on host arrays (rounded to the precision) and
 * returns every output as doubles: the JVM tests and the device twin tests share these.
 */
public final class NormRuns {
    private NormRuns() {
    }

    /** LayerNorm: {y, mean, invStd}. */
    public static double[][] layerNorm(Backend be, Precision p, NormShape s, double[] x, double[] g, double[] b) {
        try (DeviceBuffer bx = Host.put(be, p, x); DeviceBuffer bg = Host.put(be, p, g); DeviceBuffer bb = Host.put(be, p, b);
             DeviceBuffer y = be.allocate(p, s.count()); DeviceBuffer m = be.allocate(p, s.positions());
             DeviceBuffer is = be.allocate(p, s.positions())) {
            be.layerNorm(s, bx, bg, bb, y, m, is);
            return new double[][] {Host.get(be, y), Host.get(be, m), Host.get(be, is)};
        }
    }

    /** LayerNorm forward then backward with dGamma, dBeta starting at dg0, db0: {dx, dGamma, dBeta}. */
    public static double[][] layerNormBackward(Backend be, Precision p, NormShape s, double[] x, double[] g, double[] dy,
                                               double[] dg0, double[] db0) {
        int c = s.channels();
        try (DeviceBuffer bx = Host.put(be, p, x); DeviceBuffer bg = Host.put(be, p, g); DeviceBuffer bb = be.allocate(p, c);
             DeviceBuffer y = be.allocate(p, s.count()); DeviceBuffer m = be.allocate(p, s.positions());
             DeviceBuffer is = be.allocate(p, s.positions()); DeviceBuffer bdy = Host.put(be, p, dy);
             DeviceBuffer dx = be.allocate(p, s.count()); DeviceBuffer dg = Host.put(be, p, dg0);
             DeviceBuffer db = Host.put(be, p, db0)) {
            be.layerNorm(s, bx, bg, bb, y, m, is);
            be.layerNormBackward(s, bx, bg, m, is, bdy, dx, dg, db);
            return new double[][] {Host.get(be, dx), Host.get(be, dg), Host.get(be, db)};
        }
    }

    private static IndexBuffer indices(Backend be, int[] lengths) {
        if (lengths == null) {
            return null;
        }
        IndexBuffer l = be.allocateIndices(lengths.length);
        be.writeIndices(l, 0, lengths, 0, lengths.length);
        return l;
    }

    /** BatchNorm: {y, mean, invStd, runningMean, runningVar} from running statistics rm0, rv0. */
    public static double[][] batchNorm(Backend be, Precision p, NormShape s, boolean training, double[] x, int[] lengths,
                                       double[] g, double[] b, double[] rm0, double[] rv0) {
        int c = s.channels();
        IndexBuffer l = indices(be, lengths);
        try (DeviceBuffer bx = Host.put(be, p, x); DeviceBuffer bg = Host.put(be, p, g); DeviceBuffer bb = Host.put(be, p, b);
             DeviceBuffer rm = Host.put(be, p, rm0); DeviceBuffer rv = Host.put(be, p, rv0);
             DeviceBuffer y = be.allocate(p, s.count()); DeviceBuffer m = be.allocate(p, c); DeviceBuffer is = be.allocate(p, c)) {
            be.batchNorm(s, training, bx, l, bg, bb, rm, rv, y, m, is);
            return new double[][] {Host.get(be, y), Host.get(be, m), Host.get(be, is), Host.get(be, rm), Host.get(be, rv)};
        } finally {
            if (l != null) {
                l.close();
            }
        }
    }

    /** BatchNorm forward then backward: {dx, dGamma, dBeta} with the accumulators starting at dg0, db0. */
    public static double[][] batchNormBackward(Backend be, Precision p, NormShape s, boolean training, double[] x,
                                               int[] lengths, double[] g, double[] rm0, double[] rv0, double[] dy,
                                               double[] dg0, double[] db0) {
        int c = s.channels();
        IndexBuffer l = indices(be, lengths);
        try (DeviceBuffer bx = Host.put(be, p, x); DeviceBuffer bg = Host.put(be, p, g); DeviceBuffer bb = be.allocate(p, c);
             DeviceBuffer rm = Host.put(be, p, rm0); DeviceBuffer rv = Host.put(be, p, rv0);
             DeviceBuffer y = be.allocate(p, s.count()); DeviceBuffer m = be.allocate(p, c); DeviceBuffer is = be.allocate(p, c);
             DeviceBuffer bdy = Host.put(be, p, dy); DeviceBuffer dx = be.allocate(p, s.count());
             DeviceBuffer dg = Host.put(be, p, dg0); DeviceBuffer db = Host.put(be, p, db0)) {
            be.batchNorm(s, training, bx, l, bg, bb, rm, rv, y, m, is);
            be.batchNormBackward(s, training, bx, l, bg, m, is, bdy, dx, dg, db);
            return new double[][] {Host.get(be, dx), Host.get(be, dg), Host.get(be, db)};
        } finally {
            if (l != null) {
                l.close();
            }
        }
    }

    /** The padding mask applied to a copy of x. */
    public static double[] maskPadding(Backend be, Precision p, NormShape s, int[] lengths, double[] x) {
        IndexBuffer l = indices(be, lengths);
        try (DeviceBuffer bx = Host.put(be, p, x)) {
            be.maskPadding(s, l, bx);
            return Host.get(be, bx);
        } finally {
            l.close();
        }
    }

    /** Dropout (backward: dropoutBackward) of x. */
    public static double[] dropout(Backend be, Precision p, DropoutShape s, double[] x, boolean backward) {
        try (DeviceBuffer bx = Host.put(be, p, x); DeviceBuffer y = be.allocate(p, s.count())) {
            if (backward) {
                be.dropoutBackward(s, bx, y);
            } else {
                be.dropout(s, bx, y);
            }
            return Host.get(be, y);
        }
    }
}
