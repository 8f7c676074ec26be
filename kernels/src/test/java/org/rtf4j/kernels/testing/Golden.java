package org.rtf4j.kernels.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reader of the float64 golden vectors, which are part of the repository: {@code
 * kernels/src/test/resources/golden} (schema and provenance in its README, generators in its {@code gen/}).
 * The folder is the system property {@code rtf4j.golden}, which the parent pom sets to that folder and
 * {@code -Drtf4j.golden=DIR} overrides; without the property (a test started outside Maven) it is that
 * folder relative to a module directory. The tests read the files by path, not from the class path. A
 * missing folder fails the test rather than skipping it.
 */
public final class Golden {
    /** The folder relative to a module directory, the working directory of a test run by Maven or an IDE. */
    static final Path DEFAULT_FOLDER = Paths.get("..", "kernels", "src", "test", "resources", "golden");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final String name;
    private final JsonNode root;

    private Golden(String name, JsonNode root) {
        this.name = name;
        this.root = root;
    }

    /**
     * The golden folder.
     *
     * @throws IllegalStateException if it is not a directory, naming the path and the property that sets it
     */
    public static Path folder() {
        return folder(System.getProperty("rtf4j.golden"));
    }

    /** The folder given by a value of the property {@code rtf4j.golden} ({@code null}: unset). */
    static Path folder(String p) {
        Path dir = p != null ? Paths.get(p) : DEFAULT_FOLDER;
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("golden vectors not found: " + dir.toAbsolutePath().normalize()
                + " is not a directory (rtf4j.golden = " + (p == null ? "unset" : p) + "; the vectors are in"
                + " kernels/src/test/resources/golden of the repository, -Drtf4j.golden=DIR reads another folder)");
        }
        return dir;
    }

    /** Names (without .json) of the golden files starting with {@code prefix}, sorted; never empty. */
    public static List<String> names(String prefix) {
        try (Stream<Path> s = Files.list(folder())) {
            List<String> out = s.map(x -> x.getFileName().toString())
                .filter(f -> f.startsWith(prefix) && f.endsWith(".json"))
                .map(f -> f.substring(0, f.length() - 5))
                .sorted()
                .collect(Collectors.toList());
            if (out.isEmpty()) {
                throw new IllegalStateException("no golden files named " + prefix + "* in " + folder());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads one golden file by name (without .json). */
    public static Golden load(String name) {
        try {
            return new Golden(name, MAPPER.readTree(folder().resolve(name + ".json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    /** True when the dotted path (e.g. {@code outputs.k}) exists. */
    public boolean has(String path) {
        return node(path, false) != null;
    }

    /** An integer at a dotted path. */
    public int integer(String path) {
        return node(path, true).asInt();
    }

    /** A boolean or string at a dotted path. */
    public String text(String path) {
        return node(path, true).asText();
    }

    /** A scalar number at a dotted path. */
    public double scalar(String path) {
        return node(path, true).asDouble();
    }

    /** A real array (any nesting) flattened in row-major order. */
    public double[] real(String path) {
        List<Double> out = new ArrayList<>();
        flatten(node(path, true), out);
        double[] a = new double[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    /** A complex array {re, im} flattened row-major into interleaved (re, im) pairs. */
    public double[] complex(String path) {
        JsonNode n = node(path, true);
        List<Double> re = new ArrayList<>();
        List<Double> im = new ArrayList<>();
        flatten(n.get("re"), re);
        flatten(n.get("im"), im);
        double[] a = new double[2 * re.size()];
        for (int i = 0; i < re.size(); i++) {
            a[2 * i] = re.get(i);
            a[2 * i + 1] = im.get(i);
        }
        return a;
    }

    private static void flatten(JsonNode n, List<Double> out) {
        if (n.isArray()) {
            for (JsonNode c : n) {
                flatten(c, out);
            }
        } else {
            out.add(n.asDouble());
        }
    }

    private JsonNode node(String path, boolean required) {
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        if (n == null && required) {
            throw new IllegalArgumentException(name + ": missing key " + path);
        }
        return n;
    }
}
