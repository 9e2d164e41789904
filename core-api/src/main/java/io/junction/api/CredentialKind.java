package io.junction.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a credential's secret is. */
public enum CredentialKind {
    PASSWORD("password"),
    TOKEN("token"),
    KEY_PAIR("key-pair"),
    CERTIFICATE("certificate");

    private final String label;

    CredentialKind(String label) {
        this.label = label;
    }

    /** The name used in commands and output, e.g. {@code key-pair}. */
    public String label() {
        return label;
    }

    /**
     * The kind with that label (case-insensitive; {@code key_pair} and {@code keypair} work too).
     *
     * @throws InvalidInputException listing the kinds when there is none
     */
    public static CredentialKind fromLabel(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (CredentialKind kind : values()) {
            if (kind.label.equals(t) || kind.label.replace("-", "").equals(t)) {
                return kind;
            }
        }
        throw new InvalidInputException("unknown credential kind " + ShownText.quote(text) + "; kinds: "
                + Arrays.stream(values()).map(CredentialKind::label).collect(Collectors.joining(", ")));
    }
}
