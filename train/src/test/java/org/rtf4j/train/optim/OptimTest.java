package org.rtf4j.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rtf4j.layer.Parameter;

class OptimTest {

    @Test
    void adamWMatchesTheUpdateWrittenOutByHandWithItsOwnGroupForSsmParameters() {
        Parameter w = new Parameter("w", new int[] {1}, false);
        Parameter a = new Parameter("ab", new int[] {1}, true);
        w.value()[0] = 1.0;
        a.value()[0] = -2.0;
        Map<String, Parameter> ps = new LinkedHashMap<>();
        ps.put("w", w);
        ps.put("ab", a);
        AdamW opt = new AdamW(ps, AdamW.Settings.of(0.1, 0.01, 0.02, 0.5));
        double[] gw = {0.5, -0.25};
        double[] ga = {1.0, 3.0};
        double mw = 0, vw = 0, ma = 0, va = 0, xw = 1.0, xa = -2.0;
        for (int t = 1; t <= 2; t++) {
            double f = t == 1 ? 1.0 : 0.5;
            w.grad()[0] = gw[t - 1];
            a.grad()[0] = ga[t - 1];
            opt.step(f);
            mw = 0.9 * mw + 0.1 * gw[t - 1];
            vw = 0.999 * vw + 0.001 * gw[t - 1] * gw[t - 1];
            xw -= f * 0.1 * ((mw / (1 - Math.pow(0.9, t))) / (Math.sqrt(vw / (1 - Math.pow(0.999, t))) + 1e-8) + 0.01 * xw);
            ma = 0.9 * ma + 0.1 * ga[t - 1];
            va = 0.999 * va + 0.001 * ga[t - 1] * ga[t - 1];
            xa -= f * 0.02 * ((ma / (1 - Math.pow(0.9, t))) / (Math.sqrt(va / (1 - Math.pow(0.999, t))) + 1e-8) + 0.5 * xa);
            assertEquals(xw, w.value()[0], 1e-15, "w after step " + t);
            assertEquals(xa, a.value()[0], 1e-15, "ab after step " + t);
        }
        assertEquals(2, opt.steps());
    }

    @Test
    void cosineScheduleWarmsUpLinearlyThenDecaysToZero() {
        CosineSchedule s = new CosineSchedule(4, 14);
        assertEquals(0.25, s.factor(0), 0);
        assertEquals(1.0, s.factor(3), 0);
        assertEquals(1.0, s.factor(4), 0);
        assertEquals(0.5, s.factor(9), 1e-15);
        assertEquals(0.0, s.factor(14), 1e-15);
        assertEquals(1.0, new CosineSchedule(0, 10).factor(0), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(10, 10));
        assertEquals("warm-up steps must be in [0, 10), got 10", e.getMessage());
    }

    @Test
    void clippingScalesTheHostGroupsGradientInTheUpdateOnly() {
        Parameter p = new Parameter("p", new int[] {2}, true);
        Parameter q = new Parameter("q", new int[] {2}, true);
        p.grad()[0] = 3;
        p.grad()[1] = 4;
        q.grad()[0] = 0.6;
        q.grad()[1] = 0.8;
        AdamW clipped = new AdamW(null, Map.of(), Map.of("p", p), AdamW.Settings.of(0.1, 0.01, 0.02, 0.5));
        AdamW plain = new AdamW(Map.of("q", q), AdamW.Settings.of(0.1, 0.01, 0.02, 0.5));
        clipped.step(1.0, null, 0, 1.0, 5.0);
        plain.step(1.0);
        assertEquals(q.value()[0], p.value()[0], 1e-16, "the norm 5 clipped to 1 is the gradient / 5");
        assertEquals(q.value()[1], p.value()[1], 1e-16);
        assertEquals(4.0, p.grad()[1], 0, "the gradient itself is left as it was");
        clipped.step(1.0, null, 0, 0.0, 5.0);
        plain.step(1.0);
        assertEquals(false, q.value()[0] == p.value()[0], "0 = off: the unclipped gradient moves p differently");
        p.value()[1] = Double.NaN;
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
            () -> FiniteValues.require(7, Map.of("blocks.3.ssm.ab", p)));
        assertEquals("training diverged at step 7 in layer blocks.3, parameter blocks.3.ssm.ab: value blocks.3.ssm.ab[1] = NaN",
            e.getMessage());
    }
}
