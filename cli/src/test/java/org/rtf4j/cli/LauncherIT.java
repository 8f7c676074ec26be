package org.rtf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtf4j.formats.Npy;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.Golden;

/** The ./rtf4j launcher at the repository root, run as a user runs it, after the jar is built. */
class LauncherIT {
    @TempDir
    Path dir;

    private static String[] launch(String... args) throws IOException, InterruptedException {
        Path root = Paths.get(System.getProperty("rtf4j.root", "..")).toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>();
        cmd.add(root.resolve("rtf4j").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("launcher did not finish");
        }
        return new String[] {String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8)};
    }

    @Test
    void layerRunThroughTheLauncherReproducesTheReference() throws Exception {
        Golden g = Golden.load("rtf_reference_bidir_L64");
        Path[] f = LayerCommandTest.writeReferenceCase(dir, g, "");
        Path y = dir.resolve("y.npy");
        String[] r = launch("layer", "run", "--kind", "rtf", "--weights", f[0].toString(), "--input", f[1].toString(),
            "--output", y.toString(), "--layout", "BLH");
        assertEquals("0", r[0], r[1] + r[2]);
        Check.close("y through the launcher", Npy.read(y).data(), g.real("outputs.y_blh"), Check.F64_VALUES);
        r = launch("layer", "run", "--kind", "rtf", "--weights", dir.resolve("none.safetensors").toString(),
            "--input", f[1].toString(), "--output", y.toString());
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("none.safetensors: no such file"), r[2]);
    }

    @Test
    void demoThroughTheLauncher() throws Exception {
        String[] r = launch("demo", "--batch", "1", "--channels", "2", "--state", "4", "--length", "64", "--repeats", "1");
        assertEquals("0", r[0], r[1] + r[2]);
        for (String kind : new String[] {"rtf:", "s4d:", "s4:"}) {
            assertTrue(r[1].contains("\n" + kind), r[1]);
        }
        assertTrue(Files.exists(Paths.get(System.getProperty("rtf4j.root", "..")).resolve("cli/target/rtf4j-cli.jar")));
    }
}
