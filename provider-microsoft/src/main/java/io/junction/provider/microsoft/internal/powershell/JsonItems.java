package io.junction.provider.microsoft.internal.powershell;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the objects {@code ConvertTo-Json} writes, one at a time as they stream in: an array of
 * objects, a single object (PowerShell unwraps a one-element pipeline), nothing at all (an empty
 * pipeline), or several of these one after the other. Only one object is held at a time, and only
 * to a bounded depth; property names are case-insensitive, as in PowerShell.
 */
public final class JsonItems {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final int MAX_DEPTH = 6;
    /** Windows PowerShell 5.1 writes a DateTime as {@code "\/Date(1732526400000)\/"} (milliseconds since 1970, UTC). */
    private static final Pattern MS_DATE = Pattern.compile("/Date\\((-?\\d+)([+-]\\d{4})?\\)/");

    private JsonItems() {
    }

    /** Calls {@code each} with every object of the output; returns how many there were. */
    public static long forEach(InputStream in, Consumer<Item> each) throws IOException {
        long n = 0;
        try (JsonParser p = FACTORY.createParser(in)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_ARRAY) {
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (t == null) {
                            throw new IOException("JSON output ended inside an array");
                        }
                        if (t == JsonToken.START_OBJECT) {
                            each.accept(new Item(readObject(p, 1)));
                            n++;
                        } else {
                            p.skipChildren();
                        }
                    }
                } else if (t == JsonToken.START_OBJECT) {
                    each.accept(new Item(readObject(p, 1)));
                    n++;
                } else {
                    p.skipChildren();
                }
            }
        }
        return n;
    }

    private static Map<String, Object> readObject(JsonParser p, int depth) throws IOException {
        Map<String, Object> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            Object v = readValue(p, t, depth + 1);
            map.putIfAbsent(name, v);
        }
        return map;
    }

    private static Object readValue(JsonParser p, JsonToken t, int depth) throws IOException {
        if (t == null) {
            throw new IOException("JSON output ended inside an object");
        }
        switch (t) {
            case START_OBJECT:
                if (depth > MAX_DEPTH) {
                    p.skipChildren();
                    return null;
                }
                return readObject(p, depth);
            case START_ARRAY:
                if (depth > MAX_DEPTH) {
                    p.skipChildren();
                    return null;
                }
                List<Object> list = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(p, e, depth + 1));
                }
                return list;
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    /** One object of the output. */
    public static final class Item {
        private final Map<String, Object> values;

        public Item(Map<String, Object> values) {
            this.values = values;
        }

        public Object get(String name) {
            return values.get(name);
        }

        /** The property as text: a string, a number, or the {@code Name} of a nested object; {@code null} if absent. */
        public String string(String name) {
            return text(values.get(name));
        }

        /** The first of the properties that is present and not blank. */
        public String firstString(String... names) {
            for (String name : names) {
                String s = string(name);
                if (s != null && !s.isBlank()) {
                    return s;
                }
            }
            return null;
        }

        public long number(String name, long otherwise) {
            Object v = values.get(name);
            if (v instanceof Number n) {
                return n.longValue();
            }
            if (v instanceof String s) {
                try {
                    return Long.parseLong(s.strip());
                } catch (NumberFormatException e) {
                    return otherwise;
                }
            }
            return otherwise;
        }

        public Item object(String name) {
            return values.get(name) instanceof Map<?, ?> m ? new Item(cast(m)) : null;
        }

        /** The property as a list (a lone value is a list of one); empty if absent. */
        public List<Object> list(String name) {
            Object v = values.get(name);
            if (v == null) {
                return List.of();
            }
            return v instanceof List<?> l ? Collections.unmodifiableList(l) : List.of(v);
        }

        /** The elements of a list property as text (nested objects by their {@code Name}). */
        public List<String> strings(String name) {
            List<String> out = new ArrayList<>();
            for (Object o : list(name)) {
                String s = text(o);
                if (s != null && !s.isBlank()) {
                    out.add(s);
                }
            }
            return out;
        }

        /** The property as a point in time, however PowerShell wrote it; {@code null} if absent or unreadable. */
        public Instant instant(String name) {
            return JsonItems.instant(values.get(name));
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> cast(Map<?, ?> m) {
            return (Map<String, Object>) m;
        }

        private static String text(Object v) {
            if (v == null) {
                return null;
            }
            if (v instanceof Map<?, ?> m) {
                Object n = new Item(cast(m)).get("Name");
                return n == null ? null : text(n);
            }
            if (v instanceof Double d && d == Math.rint(d)) {
                return Long.toString(d.longValue());
            }
            return v.toString();
        }

        @Override
        public String toString() {
            return values.toString();
        }
    }

    /** A DateTime as PowerShell 5.1 ({@code \/Date(ms)\/}), PowerShell 7 (ISO-8601) or an object with {@code value} writes it. */
    public static Instant instant(Object v) {
        if (v instanceof Map<?, ?> m) {
            Object inner = m.get("value");
            return inner == null ? null : instant(inner);
        }
        if (!(v instanceof String s) || s.isBlank()) {
            return null;
        }
        Matcher ms = MS_DATE.matcher(s.strip());
        if (ms.matches()) {
            return Instant.ofEpochMilli(Long.parseLong(ms.group(1)));
        }
        try {
            return OffsetDateTime.parse(s.strip()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s.strip()).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
