package io.junction.launcher;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code ${name}} substitution for the values of {@code etc/config.properties}.
 *
 * <p>A name is looked up first in the system properties (that is where {@code junction.home}
 * comes from), then among the other properties of the same file. A name found nowhere, or one
 * that refers back to itself, is left in place unchanged, so values meant for later
 * interpolation by a bundle (FileInstall does its own) survive.
 */
final class Substitution {

    private Substitution() {
    }

    /** Replaces every resolvable {@code ${name}} in {@code value}; {@code lookup} returns null for unknown names. */
    static String substitute(String value, Function<String, String> lookup) {
        if (value == null || value.indexOf("${") < 0) {
            return value;
        }
        StringBuilder result = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            if (start < 0) {
                break;
            }
            int end = value.indexOf('}', start + 2);
            if (end < 0) {
                break;
            }
            result.append(value, i, start);
            String name = value.substring(start + 2, end);
            String replacement = name.isEmpty() ? null : lookup.apply(name);
            result.append(replacement != null ? replacement : value.substring(start, end + 1));
            i = end + 1;
        }
        result.append(value, i, value.length());
        return result.toString();
    }

    /**
     * Resolves all values of {@code raw}: names are looked up in {@code system} first, then in
     * {@code raw} itself, recursively. A reference that leads into a cycle stays unresolved.
     */
    static Map<String, String> resolve(Map<String, String> raw, Function<String, String> system) {
        Map<String, String> resolved = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            Set<String> visiting = new HashSet<>();
            visiting.add(entry.getKey());
            resolved.put(entry.getKey(), substitute(entry.getValue(), name -> {
                try {
                    return lookup(name, raw, system, visiting);
                } catch (CycleException e) {
                    return null;
                }
            }));
        }
        return resolved;
    }

    private static String lookup(String name, Map<String, String> raw, Function<String, String> system,
                                 Set<String> visiting) {
        String fromSystem = system.apply(name);
        if (fromSystem != null || !raw.containsKey(name)) {
            return fromSystem;
        }
        if (!visiting.add(name)) {
            throw new CycleException();
        }
        try {
            return substitute(raw.get(name), inner -> lookup(inner, raw, system, visiting));
        } finally {
            visiting.remove(name);
        }
    }

    private static final class CycleException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CycleException() {
            super(null, null, false, false);
        }
    }
}
