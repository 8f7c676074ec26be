package org.rtf4j.interchange;

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
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headers that the reference reader refuses (huggingface/safetensors and its format notes) are refused
 * here too, one class of fault per test, each with one line naming the file, the tensor or key, and what
 * is wrong; and what the reference reader accepts (within the dtypes we support) is still accepted.
 */
class HostileFormatsTest {
    @TempDir
    Path dir;

    private static final String X8 = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    // ---- safetensors ----

    private Path st(String name, byte[] header, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).put(data);
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    private Path st(String name, String json, int dataBytes) throws IOException {
        return st(name, json.getBytes(StandardCharsets.UTF_8), new byte[dataBytes]);
    }

    private static String refused(Path f, Function<Path, ?> reader, String... fragments) {
        FileFormatException e = assertThrows(FileFormatException.class, () -> reader.apply(f));
        String m = e.getMessage();
        assertTrue(m.startsWith(f.toString()), m);
        assertFalse(m.contains("\n") || m.contains("\r"), "not one line: " + m);
        for (String s : fragments) {
            assertTrue(m.contains(s), "'" + m + "' lacks '" + s + "'");
        }
        return m;
    }

    private static String refusedSt(Path f, String... fragments) {
        return refused(f, SafeTensors::read, fragments);
    }

    @Test
    void safetensorsDuplicateTensorWithTheSameOffsetsIsRefusedByName() throws IOException {
        // last-wins before: the file read as one tensor
        refusedSt(st("same.safetensors", "{\"x\":" + X8 + ",\"x\":" + X8 + "}", 8), "tensor 'x' appears twice");
    }

    @Test
    void safetensorsDuplicateTensorAtOtherOffsetsIsRefusedByNameNotAsAGap() throws IOException {
        String json = "{\"x\":" + X8 + ",\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        String m = refusedSt(st("moved.safetensors", json, 16), "tensor 'x' appears twice");
        assertFalse(m.contains("gap"), m);
    }

    @Test
    void safetensorsDuplicateKeysInsideEntriesAndMetadataAreRefused() throws IOException {
        refusedSt(st("dtype2.safetensors", "{\"x\":{\"dtype\":\"F64\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
            "tensor 'x'", "'dtype' appears twice");
        refusedSt(st("meta2.safetensors", "{\"__metadata__\":{\"format\":\"pt\",\"format\":\"tf\"},\"x\":" + X8 + "}", 8),
            "__metadata__ key 'format' appears twice");
        refusedSt(st("metatwice.safetensors", "{\"__metadata__\":{},\"x\":" + X8 + ",\"__metadata__\":{\"a\":\"b\"}}", 8),
            "__metadata__ appears twice");
    }

    @Test
    void safetensorsEntryWithAKeyBeyondDtypeShapeOffsetsIsRefused() throws IOException {
        refusedSt(st("extra.safetensors", "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"offsets\":[0,8]}}", 8),
            "tensor 'x'", "unexpected key 'offsets'");
        refusedSt(st("missing.safetensors", "{\"x\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8), "tensor 'x'", "shape is missing");
    }

    @Test
    void safetensorsTextAfterTheHeaderObjectIsRefusedButSpacePaddingIsNot() throws IOException {
        refusedSt(st("junk.safetensors", "{\"x\":" + X8 + "} junk", 8), "after");
        refusedSt(st("two.safetensors", "{\"x\":" + X8 + "}{}", 8), "after");
        SafeTensors.Contents c = SafeTensors.read(st("padded.safetensors", "{\"x\":" + X8 + "}   \n\t ", 8));
        assertArrayEquals(new long[] {2}, c.tensors().get("x").shape());
    }

    @Test
    void safetensorsHeaderMustBeginWithABrace() throws IOException {
        refusedSt(st("lead.safetensors", " {\"x\":" + X8 + "}", 8), "begin with '{'");
        refusedSt(st("array.safetensors", "[1, 2]  ", 8), "begin with '{'");
    }

    @Test
    void safetensorsHeaderThatIsNotUnicodeIsRefused() throws IOException {
        byte[] h = ("{\"x\u00ff\":" + X8 + "}").getBytes(StandardCharsets.ISO_8859_1);
        refusedSt(st("latin1.safetensors", h, new byte[8]), "not valid UTF-8 at byte offset 3");
        refusedSt(st("surrogate.safetensors", "{\"x\\ud800\":" + X8 + "}", 8), "tensor name", "unpaired surrogate");
        refusedSt(st("msurrogate.safetensors", "{\"__metadata__\":{\"a\":\"\\udc00\"},\"x\":" + X8 + "}", 8),
            "__metadata__ value of 'a'", "unpaired surrogate");
    }

    @Test
    void safetensorsDimensionBeyondWhatATensorHoldsIsRefusedEvenWithZeroElements() throws IOException {
        refusedSt(st("zero.safetensors", "{\"x\":{\"dtype\":\"F32\",\"shape\":[0,3000000000],\"data_offsets\":[0,0]}}", 0),
            "tensor 'x'", "shape entry 1 is 3000000000", "2147483647");
        refusedSt(st("bigint.safetensors", "{\"x\":{\"dtype\":\"F32\",\"shape\":[0,99999999999999999999],\"data_offsets\":[0,0]}}", 0),
            "tensor 'x'", "shape entry 1 is 99999999999999999999");
    }

    @Test
    void safetensorsOffsetsThatEndBeforeTheyBeginSaySo() throws IOException {
        refusedSt(st("backwards.safetensors", "{\"x\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8),
            "tensor 'x'", "data_offsets [8, 0] end before they begin");
    }

    @Test
    void safetensorsNullMetadataIsAcceptedAsTheReferenceDoes() throws IOException {
        SafeTensors.Contents c = SafeTensors.read(st("nullmeta.safetensors", "{\"__metadata__\":null,\"x\":" + X8 + "}", 8));
        assertEquals(Map.of(), c.metadata());
        assertEquals(1, c.tensors().size());
    }

    @Test
    void safetensorsHostileNamesCannotBreakTheOneLineMessage() throws IOException {
        String m = refusedSt(st("nl.safetensors", "{\"a\\nb\\u001b[31m\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8),
            "tensor 'a\\nb\\u001b[31m'", "unsupported dtype 'I64'");
        assertFalse(m.contains("\u001b"), m);
        String longName = "w".repeat(5000);
        m = refusedSt(st("long.safetensors", "{\"" + longName + "\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8),
            "unsupported dtype");
        assertTrue(m.length() < 400, m);
    }
}
