package org.rtf4j.interchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length n, n bytes of JSON
 * ({@code name → {dtype, shape, data_offsets: [begin, end]}} plus an optional {@code __metadata__}
 * string map), then the data bytes, little-endian, C order.
 *
 * <p>Reading validates everything before allocating: the header length is bounded by 100 MB and by the
 * file; every entry has a known dtype (F64, F32, F16, BF16; the 16-bit ones are widened), a shape of
 * non-negative integers and offsets inside the data section whose length equals dtype × shape; entries
 * do not overlap and leave no gap. Writing (F32, F64) goes to a temporary file that is renamed into place.
 */
public final class SafeTensors {
    /** Largest accepted header, as the reference implementation. */
    public static final long MAX_HEADER = 100_000_000L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SafeTensors() {
    }

    /** The tensors of a file, in file order, and its {@code __metadata__}. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** Reads and validates a safetensors file. */
    public static Contents read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(file, "", "file has " + size + " bytes, fewer than the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.getLong(0);
            if (n < 2 || n > MAX_HEADER || n > size - 8) {
                throw bad(file, "", "header length " + Long.toUnsignedString(n) + " is outside [2, min(" + MAX_HEADER
                    + ", file size - 8 = " + (size - 8) + ")]");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8);
            JsonNode root;
            try {
                root = MAPPER.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw bad(file, "", "header is not valid JSON: " + e.getMessage().split("\n")[0]);
            }
            if (root == null || !root.isObject()) {
                throw bad(file, "", "header is not a JSON object");
            }
            long dataStart = 8 + n;
            long dataSize = size - dataStart;
            Map<String, String> meta = new LinkedHashMap<>();
            List<long[]> spans = new ArrayList<>();
            List<Object[]> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                JsonNode v = e.getValue();
                if (key.equals("__metadata__")) {
                    if (!v.isObject()) {
                        throw bad(file, key, "__metadata__ must be an object of strings");
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> m = v.fields(); m.hasNext(); ) {
                        Map.Entry<String, JsonNode> me = m.next();
                        if (!me.getValue().isTextual()) {
                            throw bad(file, key, "__metadata__ value of '" + me.getKey() + "' is not a string");
                        }
                        meta.put(me.getKey(), me.getValue().asText());
                    }
                    continue;
                }
                if (!v.isObject()) {
                    throw bad(file, key, "entry is not an object");
                }
                DType dtype = dtype(file, key, v.get("dtype"));
                long[] shape = shape(file, key, v.get("shape"));
                JsonNode off = v.get("data_offsets");
                if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).canConvertToLong()
                    || !off.get(1).canConvertToLong() || !off.get(0).isIntegralNumber() || !off.get(1).isIntegralNumber()) {
                    throw bad(file, key, "data_offsets must be two integers [begin, end]");
                }
                long begin = off.get(0).asLong();
                long end = off.get(1).asLong();
                if (begin < 0 || end < begin || end > dataSize) {
                    throw bad(file, key, "data_offsets [" + begin + ", " + end + "] are outside the data section [0, "
                        + dataSize + "]");
                }
                long count = elements(file, key, shape);
                if (count > Integer.MAX_VALUE - 8) {
                    throw bad(file, key, "shape " + java.util.Arrays.toString(shape) + " has " + count
                        + " elements, more than one array holds");
                }
                long expect;
                try {
                    expect = Math.multiplyExact(count, (long) dtype.bytes());
                } catch (ArithmeticException x) {
                    throw bad(file, key, "shape " + java.util.Arrays.toString(shape) + " is too large");
                }
                if (end - begin != expect) {
                    throw bad(file, key, "data_offsets span " + (end - begin) + " bytes, but " + dtype + " x "
                        + java.util.Arrays.toString(shape) + " needs " + expect);
                }
                spans.add(new long[] {begin, end, spans.size()});
                entries.add(new Object[] {key, dtype, shape, begin, (int) count});
            }
            List<long[]> sorted = new ArrayList<>(spans);
            sorted.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            long pos = 0;
            for (long[] s : sorted) {
                String key = (String) entries.get((int) s[2])[0];
                if (s[0] < pos) {
                    throw bad(file, key, "data_offsets [" + s[0] + ", " + s[1] + "] overlap another tensor");
                }
                if (s[0] > pos) {
                    throw bad(file, key, "data section has a gap of " + (s[0] - pos) + " bytes before this tensor");
                }
                pos = s[1];
            }
            if (pos != dataSize) {
                throw bad(file, "", "data section has " + dataSize + " bytes but the tensors cover " + pos);
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Object[] e : entries) {
                String key = (String) e[0];
                DType dtype = (DType) e[1];
                int count = (Integer) e[4];
                ByteBuffer buf = ByteBuffer.allocate(count * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, buf, dataStart + (Long) e[3]);
                out.put(key, new Tensor(key, dtype, (long[]) e[2], decode(buf, dtype, count)));
            }
            return new Contents(out, meta);
        } catch (NoSuchFileException e) {
            throw new FileFormatException(file + ": no such file");
        } catch (IOException e) {
            throw IoMessages.cannot("read", file, e);
        }
    }

    /**
     * Writes tensors (F32 or F64 each, by their dtype) and metadata under the output policy of
     * {@link OutputFiles} (a regular file atomically). Tensor names are the map
     * keys, in map order.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        ObjectNode header = MAPPER.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        List<ByteBuffer> data = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            if (!t.dtype().writable()) {
                throw new IllegalArgumentException("tensor " + e.getKey() + ": cannot write dtype " + t.dtype()
                    + " (F32 and F64 only)");
            }
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("a tensor cannot be named __metadata__");
            }
            ObjectNode en = header.putObject(e.getKey());
            en.put("dtype", t.dtype().name());
            ArrayNode sh = en.putArray("shape");
            for (long s : t.shape()) {
                sh.add(s);
            }
            ByteBuffer b = encode(t);
            ArrayNode off = en.putArray("data_offsets");
            off.add(offset);
            off.add(offset + b.remaining());
            offset += b.remaining();
            data.add(b);
        }
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded);
        head.put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        List<ByteBuffer> parts = new ArrayList<>();
        parts.add(head);
        parts.addAll(data);
        OutputFiles.write(file, parts);
    }

    static ByteBuffer encode(Tensor t) {
        double[] d = t.data();
        ByteBuffer b = ByteBuffer.allocate(d.length * t.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == DType.F64) {
            b.asDoubleBuffer().put(d);
        } else {
            for (int i = 0; i < d.length; i++) {
                b.putFloat(4 * i, (float) d[i]);
            }
        }
        b.position(0);
        return b;
    }

    static double[] decode(ByteBuffer b, DType dtype, int count) {
        double[] out = new double[count];
        switch (dtype) {
            case F64:
                b.asDoubleBuffer().get(out);
                break;
            case F32:
                for (int i = 0; i < count; i++) {
                    out[i] = b.getFloat(4 * i);
                }
                break;
            case F16:
                for (int i = 0; i < count; i++) {
                    out[i] = halfToDouble(b.getShort(2 * i) & 0xffff);
                }
                break;
            default:
                for (int i = 0; i < count; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
                }
                break;
        }
        return out;
    }

    /** IEEE 754 binary16 to double. */
    static double halfToDouble(int h) {
        int sign = (h >>> 15) != 0 ? -1 : 1;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            return sign * Math.scalb((double) mant, -24);
        }
        if (exp == 31) {
            return mant == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        return sign * Math.scalb(1.0 + mant / 1024.0, exp - 15);
    }

    private static DType dtype(Path file, String key, JsonNode n) {
        if (n == null || !n.isTextual()) {
            throw bad(file, key, "dtype is missing");
        }
        try {
            return DType.valueOf(n.asText());
        } catch (IllegalArgumentException e) {
            throw bad(file, key, "unknown or unsupported dtype '" + n.asText() + "' (F64, F32, F16, BF16)");
        }
    }

    private static long[] shape(Path file, String key, JsonNode n) {
        if (n == null || !n.isArray()) {
            throw bad(file, key, "shape is missing or not an array");
        }
        long[] s = new long[n.size()];
        for (int i = 0; i < s.length; i++) {
            JsonNode d = n.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw bad(file, key, "shape entry " + i + " is not a non-negative integer: " + d);
            }
            s[i] = d.asLong();
        }
        return s;
    }

    private static long elements(Path file, String key, long[] shape) {
        long c = 1;
        try {
            for (long s : shape) {
                c = Math.multiplyExact(c, s);
            }
        } catch (ArithmeticException e) {
            throw bad(file, key, "shape " + java.util.Arrays.toString(shape) + " overflows");
        }
        return c;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        long p = pos;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) {
                throw new IOException("unexpected end of file at byte " + p);
            }
            p += r;
        }
        b.flip();
    }

    static FileFormatException bad(Path file, String key, String problem) {
        return new FileFormatException(file + (key.isEmpty() ? "" : ", tensor '" + key + "'") + ": " + problem);
    }
}
