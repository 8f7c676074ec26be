package org.rtf4j.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** safetensors and .npy: round trips, every dtype read, and hostile files refused with clear errors. */
class FormatsTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", Tensor.of("a", DType.F64, new double[] {1.5, -2.25, Math.PI, 1e-300, Double.MAX_VALUE, 0}, 2, 3));
        m.put("b", Tensor.of("b", DType.F32, new double[] {0.1f, -7f, 3e30f}, 3));
        m.put("empty", Tensor.of("empty", DType.F32, new double[0], 0, 4));
        m.put("scalar", Tensor.of("scalar", DType.F64, new double[] {42}));
        return m;
    }

    @Test
    void safetensorsRoundTripKeepsMetadataOrderAndBits() {
        Path f = dir.resolve("w.safetensors");
        Map<String, String> meta = Map.of("format", "pt", "note", "ünïcode");
        SafeTensors.write(f, sample(), meta);
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(meta, c.metadata());
        assertEquals(java.util.List.of("a", "b", "empty", "scalar"), java.util.List.copyOf(c.tensors().keySet()));
        for (Tensor t : sample().values()) {
            Tensor r = c.tensors().get(t.name());
            assertEquals(t.dtype(), r.dtype());
            assertArrayEquals(t.shape(), r.shape());
            assertArrayEquals(t.data(), r.data(), 0.0, t.name());
        }
        assertNoTemporaryFiles();
    }

    @Test
    void safetensorsReadsFloat16AndBFloat16Widened() throws IOException {
        // F16: 1.0 = 0x3C00, -2.0 = 0xC000, 65504 = 0x7BFF, smallest subnormal = 0x0001; BF16: 1.0 = 0x3F80, -0.5 = 0xBF00
        String json = "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
            + "\"g\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]}}";
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x7BFF).putShort((short) 0x0001);
        data.putShort((short) 0x3F80).putShort((short) 0xBF00);
        Path f = raw("half.safetensors", json, data.array(), -1);
        SafeTensors.Contents c = SafeTensors.read(f);
        assertArrayEquals(new double[] {1, -2, 65504, Math.pow(2, -24)}, c.tensors().get("h").data(), 0.0);
        assertArrayEquals(new double[] {1, -0.5}, c.tensors().get("g").data(), 0.0);
    }

    private Path raw(String name, String json, byte[] data, long headerLength) throws IOException {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength >= 0 ? headerLength : h.length).put(h).put(data);
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    private void refused(Path f, String... fragments) {
        FileFormatException e = assertThrows(FileFormatException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        for (String s : fragments) {
            assertTrue(e.getMessage().contains(s), "'" + e.getMessage() + "' lacks '" + s + "'");
        }
    }

    @Test
    void hostileSafetensorsAreRefusedByName() throws IOException {
        String ok = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        Path good = raw("good.safetensors", ok, new byte[8], -1);
        SafeTensors.read(good);
        byte[] all = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(all, all.length - 3));
        refused(truncated, "'x'", "outside the data section [0, 5]");
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        refused(tiny, "fewer than the 8-byte header length");
        refused(raw("longheader.safetensors", ok, new byte[8], 1L << 40), "header length 1099511627776 is outside");
        refused(raw("notjson.safetensors", "{\"x\": {\"dtype\": \"F32\", ", new byte[0], -1), "not valid JSON");
        refused(raw("overlap.safetensors", "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8], -1), "'y'", "overlap");
        refused(raw("range.safetensors", "{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8], -1),
            "'x'", "outside the data section [0, 8]");
        refused(raw("dtype.safetensors", "{\"x\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8], -1),
            "'x'", "unknown or unsupported dtype 'I64'");
        refused(raw("huge.safetensors", "{\"x\":{\"dtype\":\"F32\",\"shape\":[1000000,1000000],\"data_offsets\":[0,8]}}",
            new byte[8], -1), "'x'", "1000000000000 elements");
        refused(raw("size.safetensors", "{\"x\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8], -1),
            "'x'", "span 8 bytes, but F64 x [2] needs 16");
        refused(raw("gap.safetensors", "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8], -1),
            "gap of 4 bytes");
        refused(raw("negshape.safetensors", "{\"x\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", new byte[8], -1),
            "not a non-negative integer");
        refused(dir.resolve("missing.safetensors"), "no such file");
    }

    @Test
    void npyRoundTripBothPrecisionsAndRanks() {
        for (Tensor t : sample().values()) {
            Path f = dir.resolve(t.name() + ".npy");
            Npy.write(f, t);
            Tensor r = Npy.read(f);
            assertEquals(t.dtype(), r.dtype());
            assertArrayEquals(t.shape(), r.shape(), t.name());
            assertArrayEquals(t.data(), r.data(), 0.0);
        }
        assertNoTemporaryFiles();
    }

    private Path npy(String name, int major, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        int pre = major == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(pre + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        b.put(h).put(data);
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    @Test
    void npyVersionsTwoAndThreeAndHostileFiles() throws IOException {
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.25).putDouble(-3);
        String h = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n";
        assertArrayEquals(new double[] {1.25, -3}, Npy.read(npy("v2.npy", 2, h, d.array())).data(), 0.0);
        assertArrayEquals(new double[] {1.25, -3}, Npy.read(npy("v3.npy", 3, h, d.array())).data(), 0.0);
        assertArrayEquals(new long[] {1, 2}, Npy.read(npy("v1.npy", 1, h.replace("(2,)", "(1, 2)"), d.array())).shape());
        String[][] bad = {
            {"{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }\n", "big-endian"},
            {"{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }\n", "unsupported dtype '<i8'"},
            {"{'descr': '<f8', 'fortran_order': True, 'shape': (2,), }\n", "fortran_order True"},
            {"{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }\n", "truncated"},
            {"{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }\n", "data bytes"},
            {"{'descr': '<f8', 'shape': (2,), }\n", "lacks the key 'fortran_order'"},
        };
        for (String[] b : bad) {
            Path f = npy("bad.npy", 1, b[0], d.array());
            FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.read(f));
            assertTrue(e.getMessage().contains(b[1]) && e.getMessage().contains("bad.npy"), e.getMessage());
        }
        Path notNpy = dir.resolve("x.npy");
        Files.write(notNpy, "hello world, not numpy".getBytes(StandardCharsets.US_ASCII));
        assertTrue(assertThrows(FileFormatException.class, () -> Npy.read(notNpy)).getMessage().contains("magic"));
        Path v9 = npy("v9.npy", 9, h, d.array());
        assertTrue(assertThrows(FileFormatException.class, () -> Npy.read(v9)).getMessage().contains("version 9.0"));
    }

    private void assertNoTemporaryFiles() {
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary file left behind");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
