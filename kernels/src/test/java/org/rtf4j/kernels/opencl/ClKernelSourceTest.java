package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link ClKernel} against the program source {@link ClSource#text()} (what the backend builds): the same kernels, and each
 * with the same parameters in the same order, names and kinds. No device needed.
 */
class ClKernelSourceTest {
    private static final Pattern KERNEL = Pattern.compile("__kernel\\s+void\\s+(\\w+)\\s*\\(([^)]*)\\)");

    /** The {@code __kernel} signatures of an OpenCL C source, in source order. */
    static Map<String, List<ClKernel.Param>> kernels(String source) {
        String code = source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
        Map<String, List<ClKernel.Param>> out = new LinkedHashMap<>();
        Matcher m = KERNEL.matcher(code);
        while (m.find()) {
            List<ClKernel.Param> params = new ArrayList<>();
            for (String raw : m.group(2).split(",")) {
                params.add(param(m.group(1), raw.trim().replaceAll("\\s+", " ")));
            }
            if (out.put(m.group(1), params) != null) {
                fail("kernel " + m.group(1) + " is defined twice in the OpenCL source");
            }
        }
        return out;
    }

    private static ClKernel.Param param(String kernel, String decl) {
        Matcher m = Pattern.compile("^(.*?)\\**\\s*(\\w+)$").matcher(decl);
        if (!m.matches()) {
            fail("kernel " + kernel + ": cannot read parameter '" + decl + "'");
        }
        String type = m.group(1).replace("*", " ").trim();
        String name = m.group(2);
        ClKernel.Kind kind;
        if (type.contains("__global") && type.replace("__global", "").replace("const", "").trim().equals("int")) {
            kind = ClKernel.Kind.INDICES;
        } else if (type.contains("__global")) {
            kind = ClKernel.Kind.BUFFER;
        } else if (type.contains("__local")) {
            kind = ClKernel.Kind.LOCAL;
        } else {
            String t = type.replace("const", "").trim();
            switch (t) {
                case "int" -> kind = ClKernel.Kind.INT;
                case "real" -> kind = ClKernel.Kind.REAL;
                default -> {
                    fail("kernel " + kernel + " parameter " + name + ": type '" + type + "' has no ClKernel.Kind");
                    return null;
                }
            }
        }
        return new ClKernel.Param(name, kind);
    }

    static String source() {
        return ClSource.text();
    }

    @Test
    void everyKernelOfTheSourceIsAConstantAndEveryConstantAKernel() {
        Map<String, List<ClKernel.Param>> source = kernels(source());
        assertTrue(source.size() > 20, "parsed only " + source.keySet());
        TreeSet<String> onlySource = new TreeSet<>(source.keySet());
        TreeSet<String> onlyEnum = new TreeSet<>();
        for (ClKernel k : ClKernel.values()) {
            onlySource.remove(k.functionName());
            if (!source.containsKey(k.functionName())) {
                onlyEnum.add(k.functionName());
            }
        }
        assertTrue(onlySource.isEmpty() && onlyEnum.isEmpty(), "kernels in the OpenCL source without a ClKernel constant: " + onlySource
            + "; ClKernel constants without a kernel in the OpenCL source: " + onlyEnum);
    }

    @Test
    void everyConstantDeclaresItsKernelsParameters() {
        Map<String, List<ClKernel.Param>> source = kernels(source());
        List<String> wrong = new ArrayList<>();
        for (ClKernel k : ClKernel.values()) {
            List<ClKernel.Param> declared = source.get(k.functionName());
            if (declared != null && !declared.equals(k.params())) {
                wrong.add(k + ": the OpenCL source has " + declared + ", the constant " + k.params());
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void theParserReadsEveryKindAndSkipsComments() {
        String src = "// __kernel void commented(const int a) {}\n"
            + "/* __kernel void block(const int b) {} */\n"
            + "__kernel void k(__global const real2* x, __global real* y,\n    const int n, const real s, __local real2* buf,"
            + " __global const int* len) {}\n";
        Map<String, List<ClKernel.Param>> k = kernels(src);
        assertEquals(List.of("k"), List.copyOf(k.keySet()));
        assertEquals(List.of(new ClKernel.Param("x", ClKernel.Kind.BUFFER), new ClKernel.Param("y", ClKernel.Kind.BUFFER),
            new ClKernel.Param("n", ClKernel.Kind.INT), new ClKernel.Param("s", ClKernel.Kind.REAL),
            new ClKernel.Param("buf", ClKernel.Kind.LOCAL), new ClKernel.Param("len", ClKernel.Kind.INDICES)), k.get("k"));
    }

    /**
     * The float32 program as the compiler sees it without {@code -DUSE_DOUBLE}: the source with comments
     * removed and every {@code #ifdef USE_DOUBLE} branch dropped (its {@code #else} branch kept).
     */
    static String float32Program(String src) {
        String noComments = src.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", "");
        StringBuilder out = new StringBuilder();
        java.util.Deque<Boolean> keep = new java.util.ArrayDeque<>();
        for (String line : noComments.split("\\n")) {
            String t = line.trim();
            if (t.startsWith("#if")) {
                keep.push(!t.equals("#ifdef USE_DOUBLE"));
                continue;
            }
            if (t.startsWith("#else")) {
                keep.push(!keep.pop());
                continue;
            }
            if (t.startsWith("#endif")) {
                keep.pop();
                continue;
            }
            if (!keep.contains(false)) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** The float32 program computes in float32 only: no double type, double constant or fp64 extension. */
    @Test
    void theFloat32ProgramNamesNoDouble() {
        String f32 = float32Program(source());
        assertTrue(f32.contains("typedef float real;"), "the float32 branch was not found");
        for (String banned : new String[] {"\\bdouble\\d*\\b", "\\bM_PI\\b", "cl_khr_fp64", "\\bas_double\\b", "\\bas_ulong\\b"}) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(banned).matcher(f32);
            assertTrue(!m.find(), "the float32 program contains '" + banned + "' at: "
                + (m.hitEnd() ? "" : f32.substring(Math.max(0, m.start() - 60), Math.min(f32.length(), m.end() + 20))));
        }
        String sample = "typedef float real;\n#ifdef USE_DOUBLE\ndouble x;\n#else\nfloat x;\n#endif\n// double y\nreal z;\n";
        assertEquals("typedef float real;\nfloat x;\n\nreal z;\n", float32Program(sample));
        assertTrue(float32Program("real x;\ndouble bad;\n").contains("double"));
    }
}
