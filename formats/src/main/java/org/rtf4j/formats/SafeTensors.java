package org.rtf4j.formats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safetensors format: an 8-byte little-endian header length n, n bytes of JSON
 * ({@code name → {dtype, shape, data_offsets: [begin, end]}} plus an optional {@code __metadata__}
 * string map), then the data bytes, little-endian, C order.
 *
 * <p>Reading validates everything before allocating, by the rules of the reference implementation
 * (huggingface/safetensors) and its format notes: the header length is bounded by 100 MB and by the file;
 * the header is UTF-8 that begins with '{' and holds one JSON object, followed by nothing but whitespace
 * padding; no key appears twice at any level; {@code __metadata__} is null or an object of strings; every
 * other entry is an object with exactly dtype, shape and data_offsets, with a known dtype (F64, F32, F16,
 * BF16; the 16-bit ones are widened), a shape of integers in [0, {@link Integer#MAX_VALUE}] and offsets
 * inside the data section whose length equals dtype × shape; entries do not overlap and leave no gap.
 * Names and strings must be valid Unicode (no unpaired surrogate escapes). Stricter than the reference: a
 * key beside dtype, shape and data_offsets is refused (the reference ignores it). Writing (F32, F64) goes to
 * a temporary file that is renamed into place.
 */
public final class SafeTensors {
    /** Largest accepted header, as the reference implementation. */
    public static final long MAX_HEADER = 100_000_000L;
    private static final String METADATA = "__metadata__";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Names are not canonicalized: a hostile header's many names would fill Jackson's symbol table. */
    private static final JsonFactory JSON = JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();

    private SafeTensors() {
    }

    /** The tensors of a file, in file order, and its {@code __metadata__}. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** A validated header entry. */
    private record Entry(String name, DType dtype, long[] shape, long begin, long end, int count) {
    }

    /** Reads and validates a safetensors file. */
    public static Contents read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(file, null, "file has " + size + " bytes, fewer than the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.getLong(0);
            if (n < 2 || n > MAX_HEADER || n > size - 8) {
                throw bad(file, null, "header length " + Long.toUnsignedString(n) + " is outside [2, min(" + MAX_HEADER
                    + ", file size - 8 = " + (size - 8) + ")]");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8);
            long dataStart = 8 + n;
            long dataSize = size - dataStart;
            Map<String, String> meta = new LinkedHashMap<>();
            List<Entry> entries = header(file, hb.array(), dataSize, meta);
            List<Entry> sorted = new ArrayList<>(entries);
            sorted.sort((a, b) -> a.begin != b.begin ? Long.compare(a.begin, b.begin) : Long.compare(a.end, b.end));
            long pos = 0;
            for (Entry e : sorted) {
                if (e.begin < pos) {
                    throw bad(file, e.name, "data_offsets [" + e.begin + ", " + e.end + "] overlap another tensor");
                }
                if (e.begin > pos) {
                    throw bad(file, e.name, "data section has a gap of " + (e.begin - pos) + " bytes before this tensor");
                }
                pos = e.end;
            }
            if (pos != dataSize) {
                throw bad(file, null, "data section has " + dataSize + " bytes but the tensors cover " + pos);
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Entry e : entries) {
                ByteBuffer buf = ByteBuffer.allocate(e.count * e.dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, buf, dataStart + e.begin);
                out.put(e.name, new Tensor(e.name, e.dtype, e.shape, decode(buf, e.dtype, e.count)));
            }
            return new Contents(out, meta);
        } catch (NoSuchFileException e) {
            throw new FileFormatException(file + ": no such file");
        } catch (IOException e) {
            throw IoMessages.cannot("read", file, e);
        }
    }

    /**
     * Parses and checks the header: the entries in header order, the metadata put into {@code meta}. The
     * parser is Jackson's, strict JSON; the structure is walked token by token, so that every fault is
     * named where it is found and nothing is kept but the entries.
     */
    private static List<Entry> header(Path file, byte[] bytes, long dataSize, Map<String, String> meta) {
        if (bytes[0] != '{') {
            throw bad(file, null, "header must begin with '{', found " + (bytes[0] >= 0x21 && bytes[0] < 0x7f
                ? FileFormatException.quote(String.valueOf((char) bytes[0])) : String.format("byte 0x%02x", bytes[0] & 0xff)));
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer chars = CharBuffer.allocate(bytes.length);
        if (dec.decode(in, chars, true).isError()) {
            throw bad(file, null, "header is not valid UTF-8 at byte offset " + in.position() + " of the header");
        }
        dec.flush(chars);
        chars.flip();
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        // chars, not bytes: Jackson would guess the encoding of bytes (a '{' and three NULs read as UTF-32)
        try (JsonParser p = JSON.createParser(chars.array(), 0, chars.limit())) {
            p.nextToken(); // the '{'
            for (String name; (name = nextKey(p)) != null; ) {
                unicode(file, "tensor name " + FileFormatException.quote(name), name);
                if (!names.add(name)) {
                    throw bad(file, null, (name.equals(METADATA) ? METADATA : "tensor " + FileFormatException.quote(name))
                        + " appears twice in the header");
                }
                if (name.equals(METADATA)) {
                    metadata(file, p, meta);
                } else {
                    entries.add(entry(file, p, name, dataSize));
                }
            }
            JsonToken after;
            try {
                after = p.nextToken();
            } catch (JsonProcessingException e) {
                after = JsonToken.NOT_AVAILABLE;
            }
            if (after != null) {
                throw bad(file, null, "header has text after the '}' that closes it (only whitespace may pad it)");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw bad(file, null, "header is not valid JSON"
                + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": "
                + FileFormatException.shorten(String.valueOf(e.getOriginalMessage()), 200));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading from memory does not fail
        }
        return entries;
    }

    private static void metadata(Path file, JsonParser p, Map<String, String> meta) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
            return; // as the reference: no metadata
        }
        if (t != JsonToken.START_OBJECT) {
            throw bad(file, null, METADATA + " must be an object of strings, got " + kind(t));
        }
        for (String key; (key = nextKey(p)) != null; ) {
            unicode(file, METADATA + " key " + FileFormatException.quote(key), key);
            JsonToken v = p.nextToken();
            if (v != JsonToken.VALUE_STRING) {
                throw bad(file, null, METADATA + " value of " + FileFormatException.quote(key) + " must be a string, got " + kind(v));
            }
            String value = p.getText();
            unicode(file, METADATA + " value of " + FileFormatException.quote(key), value);
            if (meta.putIfAbsent(key, value) != null) {
                throw bad(file, null, METADATA + " key " + FileFormatException.quote(key) + " appears twice");
            }
        }
    }

    private static Entry entry(Path file, JsonParser p, String name, long dataSize) throws IOException {
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_OBJECT) {
            throw bad(file, name, "entry must be an object with dtype, shape and data_offsets, got " + kind(t));
        }
        DType dtype = null;
        long[] shape = null;
        long[] off = null;
        for (String key; (key = nextKey(p)) != null; ) {
            boolean seen;
            switch (key) {
                case "dtype":
                    seen = dtype != null;
                    dtype = dtype(file, name, p);
                    break;
                case "shape":
                    seen = shape != null;
                    shape = shape(file, name, p);
                    break;
                case "data_offsets":
                    seen = off != null;
                    off = offsets(file, name, p);
                    break;
                default:
                    throw bad(file, name, "unexpected key " + FileFormatException.quote(key)
                        + " (an entry holds dtype, shape and data_offsets only)");
            }
            if (seen) {
                throw bad(file, name, "key '" + key + "' appears twice");
            }
        }
        if (dtype == null) {
            throw bad(file, name, "dtype is missing");
        }
        if (shape == null) {
            throw bad(file, name, "shape is missing");
        }
        if (off == null) {
            throw bad(file, name, "data_offsets are missing");
        }
        long begin = off[0];
        long end = off[1];
        if (end < begin) {
            throw bad(file, name, "data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        if (end > dataSize) {
            throw bad(file, name, "data_offsets [" + begin + ", " + end + "] are outside the data section [0, " + dataSize + "]");
        }
        long count = elements(file, name, shape);
        if (count > Integer.MAX_VALUE - 8) {
            throw bad(file, name, "shape " + java.util.Arrays.toString(shape) + " has " + count
                + " elements, more than one array holds");
        }
        long expect = count * dtype.bytes();
        if (end - begin != expect) {
            throw bad(file, name, "data_offsets span " + (end - begin) + " bytes, but " + dtype + " x "
                + java.util.Arrays.toString(shape) + " needs " + expect);
        }
        return new Entry(name, dtype, shape, begin, end, (int) count);
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

    private static DType dtype(Path file, String name, JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t != JsonToken.VALUE_STRING) {
            throw bad(file, name, "dtype must be a string, got " + kind(t));
        }
        String d = p.getText();
        try {
            return DType.valueOf(d);
        } catch (IllegalArgumentException e) {
            throw bad(file, name, "unknown or unsupported dtype " + FileFormatException.quote(d) + " (F64, F32, F16, BF16)");
        }
    }

    private static long[] shape(Path file, String name, JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_ARRAY) {
            throw bad(file, name, "shape must be an array of non-negative integers, got " + kind(t));
        }
        long[] s = new long[4];
        int rank = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            // "-0" too: the reference reads it as a float and refuses it
            if (t != JsonToken.VALUE_NUMBER_INT || p.getText().startsWith("-")) {
                throw bad(file, name, "shape entry " + rank + " is not a non-negative integer: "
                    + (t != null && t.isScalarValue() ? FileFormatException.shorten(p.getText()) : kind(t)));
            }
            BigInteger d = p.getBigIntegerValue();
            if (d.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
                throw bad(file, name, "shape entry " + rank + " is " + FileFormatException.shorten(d.toString())
                    + ", more than the largest dimension we hold (" + Integer.MAX_VALUE + ")");
            }
            if (rank == s.length) {
                s = java.util.Arrays.copyOf(s, 2 * rank);
            }
            s[rank++] = d.longValue();
        }
        return java.util.Arrays.copyOf(s, rank);
    }

    private static long[] offsets(Path file, String name, JsonParser p) throws IOException {
        long[] o = new long[2];
        int k = 0;
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_ARRAY) {
            while ((t = p.nextToken()) == JsonToken.VALUE_NUMBER_INT && k < 2
                && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER && !p.getText().startsWith("-")) {
                o[k++] = p.getLongValue();
            }
        }
        if (k != 2 || t != JsonToken.END_ARRAY) {
            throw bad(file, name, "data_offsets must be two non-negative integers [begin, end] below 2^63");
        }
        return o;
    }

    /** The next key of the object being read, or null at its end. */
    private static String nextKey(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_OBJECT) {
            return null;
        }
        if (t != JsonToken.FIELD_NAME) {
            throw new JsonParseException(p, "expected a key or '}', got " + kind(t));
        }
        return p.currentName();
    }

    /** What a JSON token is, for a message. */
    private static String kind(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
                return "an integer";
            case VALUE_NUMBER_FLOAT:
                return "a fractional number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.asString() == null ? t.name() : t.asString();
        }
    }

    /** Refuses a string with an unpaired surrogate (JSON lets "\\ud800" through; the reference refuses it). */
    private static void unicode(Path file, String subject, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw bad(file, null, subject + " is not valid Unicode (unpaired surrogate at char " + i + ")");
            }
        }
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

    /** Reads from {@code pos} until {@code b} is full, then flips it; a short file is an error. */
    static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
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

    /** The one-line refusal: the file, the tensor if {@code name} is not null, and the problem. */
    static FileFormatException bad(Path file, String name, String problem) {
        return new FileFormatException(file + (name == null ? "" : ", tensor " + FileFormatException.quote(name)) + ": " + problem);
    }
}
