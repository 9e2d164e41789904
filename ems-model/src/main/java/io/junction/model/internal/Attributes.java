package io.junction.model.internal;

import java.util.Map;
import java.util.TreeMap;

/** An event's attributes as one text column: {@code key=value} lines, with {@code \}, {@code =} and line breaks escaped. */
final class Attributes {
    private Attributes() {
    }

    static String encode(Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        new TreeMap<>(attributes).forEach((k, v) -> out.append(escape(k)).append('=').append(escape(v)).append('\n'));
        return out.toString();
    }

    static Map<String, String> decode(String text) {
        Map<String, String> result = new TreeMap<>();
        if (text == null) {
            return result;
        }
        for (String line : text.split("\n")) {
            int eq = -1;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '=') {
                    eq = i;
                    break;
                }
            }
            if (eq > 0) {
                result.put(unescape(line.substring(0, eq)), unescape(line.substring(eq + 1)));
            }
        }
        return result;
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("=", "\\=").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
