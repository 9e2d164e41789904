package io.junction.simulators.winrm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Writer;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes values the way Windows PowerShell 5.1's {@code ConvertTo-Json -Compress} does: no
 * spaces, {@code < > & '} escaped as {@code \u003c}-style sequences, dates as
 * {@code "\/Date(ms)\/"}, and objects nested deeper than {@code -Depth} written as their text.
 */
final class PsJson {
    private static final Pattern DATE = Pattern.compile("/Date\\(-?\\d+\\)/");
    private final Writer out;
    private final int depth;

    PsJson(Writer out, int depth) {
        this.out = out;
        this.depth = depth;
    }

    /** Writes a value found at {@code level} (0 for the object given to ConvertTo-Json). */
    void write(JsonNode node, int level) throws IOException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.write("null");
        } else if (node.isObject()) {
            if (level > depth) {
                string(asText(node));
                return;
            }
            out.write('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!first) {
                    out.write(',');
                }
                first = false;
                string(field.getKey());
                out.write(':');
                write(field.getValue(), level + 1);
            }
            out.write('}');
        } else if (node.isArray()) {
            if (level > depth) {
                string(asText(node));
                return;
            }
            out.write('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                write(node.get(i), level);
            }
            out.write(']');
        } else if (node.isTextual()) {
            String text = node.asText();
            if (DATE.matcher(text).matches()) {
                out.write("\"\\/" + text.substring(1, text.length() - 1) + "\\/\"");
            } else {
                string(text);
            }
        } else {
            out.write(node.toString());
        }
    }

    /** What PowerShell prints for an object past the depth: its ToString(), which for these objects is the name. */
    private static String asText(JsonNode node) {
        if (node.isArray()) {
            StringBuilder b = new StringBuilder();
            for (JsonNode item : node) {
                if (b.length() > 0) {
                    b.append(' ');
                }
                b.append(item.isValueNode() ? item.asText() : asText(item));
            }
            return b.toString();
        }
        JsonNode name = node.get("Name");
        return name != null && name.isValueNode() ? name.asText() : "";
    }

    private void string(String s) throws IOException {
        out.write('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.write("\\\"");
                case '\\' -> out.write("\\\\");
                case '\n' -> out.write("\\n");
                case '\r' -> out.write("\\r");
                case '\t' -> out.write("\\t");
                case '\b' -> out.write("\\b");
                case '\f' -> out.write("\\f");
                case '<', '>', '&', '\'' -> out.write(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        out.write(String.format("\\u%04x", (int) c));
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }
}
