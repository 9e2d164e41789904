package io.junction.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentHashTest {

    /** The hash as stored by earlier versions: FNV-1a over each field's UTF-8 bytes, 0x1f after each. */
    private static long stored(Object... fields) {
        long h = 0xcbf29ce484222325L;
        for (Object f : fields) {
            byte[] bytes = f == null ? new byte[] {0} : f.toString().getBytes(StandardCharsets.UTF_8);
            for (byte b : bytes) {
                h = (h ^ (b & 0xff)) * 0x100000001b3L;
            }
            h = (h ^ 0x1f) * 0x100000001b3L;
        }
        return h;
    }

    private static long hash(Object... fields) {
        ContentHash h = new ContentHash();
        for (Object f : fields) {
            h.add(f);
        }
        return h.value();
    }

    @Test
    void hashesWhatEarlierVersionsStored() {
        Object[][] rows = {
            {"vm-0000001", false, null, 4, 8192L, "Windows Server 2022", "10.0.0.1,10.0.0.2", "ON", "Running"},
            {"é", "ß€", "日本語", "\uD83D\uDE00 smile", "lone \uD800 high", "lone \uDC00 low", "end \uD83D", ""},
            {null, null},
        };
        for (Object[] row : rows) {
            assertEquals(stored(row), hash(row));
        }
    }

    @Test
    void fieldBoundariesCount() {
        assertNotEquals(hash("ab", "c"), hash("a", "bc"));
        assertNotEquals(hash((Object) null), hash(""));
    }
}
