package io.junction.api;

import java.util.Locale;

/**
 * Text that a person reads: names, hosts and user names in listings, and values echoed in error
 * lines. Control characters (Unicode category Cc) and format characters (Cf: bidi overrides and
 * isolates, zero-width characters) make text read differently from what it is, so values a
 * person will read are refused when they hold one, and shown with the character spelled out
 * where they come from elsewhere.
 */
public final class ShownText {
    /** How many characters of a value an error line quotes at most. */
    public static final int MAX_QUOTED = 80;

    private ShownText() {
    }

    /** Whether the code point is a control (Cc) or format (Cf) character. */
    public static boolean isHidden(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT;
    }

    /**
     * Checks that a value holds no control or format character.
     *
     * @param what  what the value is, e.g. {@code EMS name}, for the error line
     * @param value the value; {@code null} passes
     * @return the value
     * @throws InvalidInputException naming the first such character
     */
    public static String requireVisible(String what, String value) {
        if (value == null) {
            return null;
        }
        value.codePoints().filter(ShownText::isHidden).findFirst().ifPresent(c -> {
            throw new InvalidInputException(what + " must not contain control or format characters (found "
                    + spelled(c) + "): " + quote(value));
        });
        return value;
    }

    /**
     * The value as an error line quotes it: in single quotes, at most {@value #MAX_QUOTED}
     * characters (then {@code …}), control and format characters spelled out as {@code \u202E},
     * so the line stays one line and reads as what it is.
     */
    public static String quote(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder("'");
        int shown = 0;
        for (int i = 0; i < text.length(); ) {
            if (shown == MAX_QUOTED) {
                out.append('…');
                break;
            }
            int c = text.codePointAt(i);
            out.append(isHidden(c) ? spelled(c) : Character.toString(c));
            shown++;
            i += Character.charCount(c);
        }
        return out.append('\'').toString();
    }

    /**
     * The text with control and format characters spelled out, for listings of values that
     * were not checked on the way in (names reported by a provider).
     */
    public static String visible(String text) {
        if (text == null || text.codePoints().noneMatch(ShownText::isHidden)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> out.append(isHidden(c) ? spelled(c) : Character.toString(c)));
        return out.toString();
    }

    private static String spelled(int codePoint) {
        return codePoint <= 0xFFFF ? String.format(Locale.ROOT, "\\u%04X", codePoint)
                : String.format(Locale.ROOT, "\\U%06X", codePoint);
    }
}
